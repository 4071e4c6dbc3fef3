// The Open Dental field mapping, both ways: table tests of the pure functions in connectors/opendental/mapping.
import { describe, expect, it } from 'vitest';
import {
  appointmentFromOd,
  appointmentToOd,
  birthDateFromOd,
  emailFromOd,
  genderFromOd,
  genderToOd,
  isCancelledStatus,
  isConfirmedStatus,
  locationOfAppointment,
  locationOfClinic,
  odAppointment,
  odPatient,
  officeFromUtc,
  patientFlags,
  patientFromOd,
  patientToOd,
  patternFor,
  phoneFromOd,
  phoneToOd,
  providerName,
  shiftOfficeTime,
  utcFromOffice,
} from './mapping';
import { type OpenDentalSettings, openDentalKeys, openDentalSettings } from './settings';

const settings: OpenDentalSettings = {
  base_url: 'https://api.opendental.com/api/v1',
  locations: [
    { location_id: 1, clinic_num: 3, operatory: 1, time_zone: 'America/Chicago' },
    { location_id: 2, clinic_num: 4, operatory: 2, time_zone: 'America/Los_Angeles' },
  ],
};

// The example patient of the API Specification's patients page, as GET /patients/Simple answers it.
const janeSmith = {
  serverDateTime: '2021-08-05 09:05:42',
  PatNum: 48,
  LName: 'Smith',
  FName: 'Jane',
  MiddleI: 'A',
  Preferred: '',
  PatStatus: 'Patient',
  Gender: 'Female',
  Position: 'Single',
  Birthdate: '1976-05-24',
  SSN: '',
  Address: '125 Satin Heights',
  HmPhone: '(536)624-5871',
  WkPhone: '(536)987-4822',
  WirelessPhone: '(536)987-4822',
  Guarantor: 48,
  Email: 'SmithFam@Yahoo.com ',
  EstBalance: 0.0,
  PriProv: 1,
  priProvAbbr: 'DOC',
  ClinicNum: 3,
  DateTStamp: '2021-12-08 15:34:34',
  SecDateEntry: '2021-12-04',
};

describe('patients from Open Dental', () => {
  it('maps the documented example, ignoring fields we do not use', () => {
    expect(patientFromOd(odPatient.parse(janeSmith), settings)).toEqual({
      foreign_id: '48',
      first_name: 'Jane',
      last_name: 'Smith',
      middle_name: 'A',
      preferred_name: null,
      email: 'smithfam@yahoo.com',
      phone_number: '5369874822',
      date_of_birth: '1976-05-24',
      gender: 'Female',
      inactive: false,
      non_patient: false,
      updated_at: '2021-12-08 15:34:34',
      guarantor_foreign_id: '48',
      location_id: 1,
      // The bio details Open Dental has (SPEC 4.1); no street_address field there, so none is carried.
      cell_phone_number: '5369874822',
      home_phone_number: '5366245871',
      work_phone_number: '5369874822',
      address_line_1: '125 Satin Heights',
      address_line_2: null,
      city: null,
      state: null,
      zip_code: null,
    });
  });

  it('tolerates numbers sent as strings and empty fields sent as null', () => {
    const p = odPatient.parse({
      ...janeSmith,
      PatNum: '48',
      Guarantor: null,
      Preferred: null,
      ClinicNum: '4',
    });
    expect(patientFromOd(p, settings)).toMatchObject({
      foreign_id: '48',
      guarantor_foreign_id: null,
      location_id: 2,
    });
  });

  it('refuses a record without a PatNum', () => {
    expect(odPatient.safeParse({ ...janeSmith, PatNum: undefined }).success).toBe(false);
    expect(odPatient.safeParse({ ...janeSmith, PatNum: 0 }).success).toBe(false);
  });

  it.each([
    ['Patient', false, false],
    ['NonPatient', false, true],
    ['Inactive', true, false],
    ['Archived', true, false],
    ['Deceased', true, false],
    ['Deleted', true, false],
    ['Prospective', false, false],
    ['SomethingNew', false, false],
  ])('PatStatus %s -> inactive %s, non_patient %s', (status, inactive, nonPatient) => {
    expect(patientFlags(status)).toEqual({ inactive, non_patient: nonPatient });
  });

  it.each([
    ['Male', 'Male'],
    ['Female', 'Female'],
    ['Other', 'Other'],
    ['Unknown', null],
    ['', null],
  ])('Gender %j -> %j', (od, ours) => {
    expect(genderFromOd(od)).toBe(ours);
  });

  it.each([
    ['1976-05-24', '1976-05-24'],
    ['1976-05-24T00:00:00', '1976-05-24'],
    ['0001-01-01', null],
    ['', null],
    ['1976-02-30', null],
    ['not a date', null],
  ])('Birthdate %j -> %j', (od, ours) => {
    expect(birthDateFromOd(od)).toBe(ours);
  });

  it.each([
    ['  Jane@Example.COM ', 'jane@example.com'],
    ['none', null],
    ['', null],
  ])('Email %j -> %j', (od, ours) => {
    expect(emailFromOd(od)).toBe(ours);
  });

  it.each([
    [{ WirelessPhone: '(536)987-4822', HmPhone: '(536)624-5871', WkPhone: '' }, '5369874822'],
    [{ WirelessPhone: '', HmPhone: '(536)624-5871', WkPhone: '(503)503-5030' }, '5366245871'],
    [{ WirelessPhone: '', HmPhone: '', WkPhone: '5035035030' }, '5035035030'],
    [{ WirelessPhone: 'call mum', HmPhone: '', WkPhone: '503.503.5030' }, '5035035030'],
    [{ WirelessPhone: '+44 20 7183 8750', HmPhone: '', WkPhone: '' }, '+442071838750'],
    [{ WirelessPhone: '123', HmPhone: '', WkPhone: '' }, null],
  ])('phones %j -> %j (wireless first, normalised)', (phones, ours) => {
    expect(phoneFromOd(phones)).toBe(ours);
  });

  it.each([
    [3, 1],
    [4, 2],
    [0, null],
    [9, null],
  ])('ClinicNum %i -> location %j', (clinic, location) => {
    expect(locationOfClinic(settings, clinic)?.location_id ?? null).toBe(location);
  });

  it('a clinic shared by two of our locations names neither; no clinics (null) is ClinicNum 0', () => {
    const shared: OpenDentalSettings = {
      ...settings,
      locations: [
        { location_id: 1, clinic_num: null, operatory: 1, time_zone: 'America/Chicago' },
        { location_id: 2, clinic_num: null, operatory: 2, time_zone: 'America/Chicago' },
      ],
    };
    expect(locationOfClinic(shared, 0)).toBeNull();
    expect(locationOfClinic({ ...shared, locations: [shared.locations[0]!] }, 0)?.location_id).toBe(1);
  });
});

describe('patients to Open Dental', () => {
  const ours = {
    first_name: ' John ',
    last_name: 'Smith',
    middle_name: 'Anthony',
    preferred_name: null,
    email: 'john.smith@example.com',
    phone_number: '5163042196',
    date_of_birth: '1964-05-03',
    gender: 'Male' as const,
  };

  it('writes the create body, leaving blanks out', () => {
    expect(patientToOd(ours, settings)).toEqual({
      LName: 'Smith',
      FName: 'John',
      MiddleI: 'Anthony',
      Gender: 'Male',
      Birthdate: '1964-05-03',
      Email: 'john.smith@example.com',
      WirelessPhone: '(516)304-2196',
    });
  });

  it('writes the bio details to their Open Dental fields; phone_number goes where no typed phone is', () => {
    const details = {
      ...ours,
      cell_phone_number: '9175550181',
      work_phone_number: '6465550183',
      address_line_1: '12 Elm St',
      address_line_2: 'Apt 4',
      city: 'Brooklyn',
      state: 'NY',
      zip_code: '11201',
    };
    expect(patientToOd(details, settings)).toMatchObject({
      WirelessPhone: '(917)555-0181',
      HmPhone: '(516)304-2196',
      WkPhone: '(646)555-0183',
      Address: '12 Elm St',
      Address2: 'Apt 4',
      City: 'Brooklyn',
      State: 'NY',
      Zip: '11201',
    });
    // A street address alone is the first line there.
    expect(patientToOd({ ...ours, street_address: '1 Main St' }, settings).Address).toBe('1 Main St');
  });

  it('sets ClinicNum only when every location is the same clinic', () => {
    const one: OpenDentalSettings = { ...settings, locations: [settings.locations[0]!] };
    expect(patientToOd(ours, one).ClinicNum).toBe(3);
    expect(patientToOd(ours, settings).ClinicNum).toBeUndefined();
  });

  it.each([
    ['Male', 'Male'],
    ['Female', 'Female'],
    ['Other', 'Unknown'],
    [null, 'Unknown'],
  ] as const)('Gender %j -> %j', (g, od) => {
    expect(genderToOd(g)).toBe(od);
  });

  it.each([
    ['5163042196', '(516)304-2196'],
    ['+442071838750', '+442071838750'],
    [null, ''],
  ])('phone %j -> %j', (phone, od) => {
    expect(phoneToOd(phone)).toBe(od);
  });
});

describe('office-local times', () => {
  it.each([
    // Chicago: CDT (UTC-5) in summer, CST (UTC-6) in winter.
    ['2024-07-01 09:30:00', 'America/Chicago', '2024-07-01T14:30:00.000Z'],
    ['2024-01-15 09:30:00', 'America/Chicago', '2024-01-15T15:30:00.000Z'],
    ['2024-01-15 09:30:00', 'America/Los_Angeles', '2024-01-15T17:30:00.000Z'],
    // 02:30 does not exist on 10 March 2024 in Chicago: it moves forward an hour.
    ['2024-03-10 02:30:00', 'America/Chicago', '2024-03-10T08:30:00.000Z'],
    // 01:30 happens twice on 3 November 2024: luxon takes the second (CST) one.
    ['2024-11-03 01:30:00', 'America/Chicago', '2024-11-03T07:30:00.000Z'],
    ['garbage', 'America/Chicago', null],
  ])('%s in %s -> %s', (local, zone, iso) => {
    expect(utcFromOffice(local, zone)).toBe(iso);
  });

  it('writes an instant as the office wall clock', () => {
    expect(officeFromUtc('2024-07-01T14:30:00.000Z', 'America/Chicago')).toBe('2024-07-01 09:30:00');
    expect(officeFromUtc('2024-01-15T17:30:00Z', 'America/Los_Angeles')).toBe('2024-01-15 09:30:00');
  });

  it('shifts a cursor by wall-clock seconds, across midnight', () => {
    expect(shiftOfficeTime('2024-07-01 00:00:02', -5)).toBe('2024-06-30 23:59:57');
    expect(shiftOfficeTime('nope', -5)).toBeNull();
  });
});

describe('appointments', () => {
  // The API Specification's example appointment, in operatory 2 (our location 2, Los Angeles).
  const example = {
    serverDateTime: '2021-05-04 09:32:45',
    AptNum: 18,
    PatNum: 17,
    AptStatus: 'Scheduled',
    Pattern: '//XXXX//',
    Confirmed: 19,
    confirmed: 'Not Called',
    Op: 2,
    Note: '',
    ProvNum: 1,
    provAbbr: 'DOC1',
    ProvHyg: 0,
    AptDateTime: '2020-07-31 08:30:00',
    ClinicNum: 0,
    IsHygiene: 'false',
    DateTStamp: '2021-05-03 08:30:12',
  };

  it('maps the documented example: location by operatory, start in its zone, end from the Pattern', () => {
    expect(appointmentFromOd(odAppointment.parse(example), settings)).toEqual({
      foreign_id: '18',
      foreign_patient_id: '17',
      provider_id: null,
      provider: { foreign_id: '1', name: 'DOC1' },
      location_id: 2,
      start_time: '2020-07-31T15:30:00.000Z',
      end_time: '2020-07-31T16:10:00.000Z',
      cancelled: false,
      // "Not Called", the example's confirmation status.
      confirmed: false,
      note: null,
    });
  });

  it.each([
    ['Confirmed', true],
    ['Appointment Confirmed', true],
    ['Not Called', false],
    ['Unconfirmed', false],
    ['Not Confirmed', false],
    ['Left Msg', false],
    ['', false],
  ])('confirmation status %j -> confirmed %j', (name, confirmed) => {
    expect(isConfirmedStatus(name)).toBe(confirmed);
  });

  it('names the provider from GET /providers when known; no provider for ProvNum 0', () => {
    const a = odAppointment.parse(example);
    expect(appointmentFromOd(a, settings, new Map([[1, 'Brian Albert']]))?.provider?.name).toBe(
      'Brian Albert',
    );
    expect(appointmentFromOd({ ...a, ProvNum: 0 }, settings)?.provider).toBeNull();
  });

  it('falls back to the clinic, then to no location in the first location zone', () => {
    const a = odAppointment.parse({ ...example, Op: 7, ClinicNum: 3 });
    expect(appointmentFromOd(a, settings)).toMatchObject({
      location_id: 1,
      start_time: '2020-07-31T13:30:00.000Z',
    });
    const b = odAppointment.parse({ ...example, Op: 7, ClinicNum: 0 });
    expect(appointmentFromOd(b, settings)).toMatchObject({
      location_id: null,
      start_time: '2020-07-31T13:30:00.000Z',
    });
    expect(locationOfAppointment(settings, 1, 4)?.location_id).toBe(1);
  });

  it('an empty Pattern is Open Dental default length (20 minutes); a note is kept', () => {
    const a = appointmentFromOd(
      odAppointment.parse({ ...example, Pattern: '', Note: ' Checkup ' }),
      settings,
    );
    expect(Date.parse(a!.end_time) - Date.parse(a!.start_time)).toBe(20 * 60_000);
    expect(a!.note).toBe('Checkup');
  });

  it.each([
    ['Scheduled', false],
    ['Complete', false],
    ['ASAP', false],
    ['Broken', true],
    ['UnschedList', true],
    ['Planned', true],
    ['PtNote', true],
    ['PtNoteCompleted', true],
    ['', true],
  ])('AptStatus %j -> cancelled %s', (status, cancelled) => {
    expect(isCancelledStatus(status)).toBe(cancelled);
  });

  it.each([
    ['2024-07-01T14:30:00Z', '2024-07-01T15:00:00Z', 'XXXXXX'],
    ['2024-07-01T14:30:00Z', '2024-07-01T14:37:00Z', 'XX'],
    ['2024-07-01T14:30:00Z', '2024-07-01T14:30:00Z', 'X'],
    ['2024-07-01T14:30:00Z', '2024-07-01T23:30:00Z', 'X'.repeat(108)],
    ['2024-07-01T14:30:00Z', '2024-07-01T23:35:00Z', null],
  ])('Pattern for %s..%s -> %j', (start, end, pattern) => {
    expect(patternFor(start, end)).toBe(pattern);
  });

  it('writes the booking body in the location own terms', () => {
    const input = {
      foreign_patient_id: '17',
      provider_id: 5,
      provider_foreign_id: '3',
      location_id: 2,
      start_time: '2024-01-15T17:30:00.000Z',
      end_time: '2024-01-15T18:15:00.000Z',
      note: 'First visit',
    };
    expect(appointmentToOd(input, settings.locations[1]!)).toEqual({
      body: {
        PatNum: 17,
        Op: 2,
        ClinicNum: 4,
        AptDateTime: '2024-01-15 09:30:00',
        Pattern: 'XXXXXXXXX',
        ProvNum: 3,
        Note: 'First visit',
      },
    });
    const noClinic = { ...settings.locations[1]!, clinic_num: null };
    const plain = appointmentToOd({ ...input, provider_foreign_id: null, note: null }, noClinic);
    expect(plain).toEqual({
      body: { PatNum: 17, Op: 2, AptDateTime: '2024-01-15 09:30:00', Pattern: 'XXXXXXXXX' },
    });
    expect(appointmentToOd({ ...input, end_time: '2024-01-16T03:00:00.000Z' }, noClinic)).toEqual({
      refused: 'Open Dental appointments can be at most 9 hours long',
    });
  });

  it.each([
    [{ ProvNum: 1, Abbr: 'DOC1', FName: 'Brian', LName: 'Albert', PreferredName: '' }, 'Brian Albert'],
    [{ ProvNum: 2, Abbr: 'HYG1', FName: 'Tina', LName: 'Jones', PreferredName: 'Tee' }, 'Tee Jones'],
    [{ ProvNum: 3, Abbr: 'DOC2', FName: '', LName: '', PreferredName: '' }, 'DOC2'],
  ])('provider %j -> %j', (p, name) => {
    expect(providerName({ IsHidden: 'false', ProvStatus: 'Active', ...p })).toBe(name);
  });
});

describe('settings and keys', () => {
  it('accepts a valid configuration', () => {
    expect(openDentalSettings.safeParse(settings).success).toBe(true);
  });

  it.each([
    [{ ...settings, base_url: 'ftp://x' }],
    [{ ...settings, locations: [] }],
    [{ ...settings, locations: [{ ...settings.locations[0]!, time_zone: 'Mars/Olympus' }] }],
    [{ ...settings, locations: [settings.locations[0]!, settings.locations[0]!] }],
    [{ ...settings, locations: [{ ...settings.locations[0]!, operatory: 0 }] }],
  ])('refuses %j', (bad) => {
    expect(openDentalSettings.safeParse(bad).success).toBe(false);
  });

  it('refuses keys that would change the header, without repeating them', () => {
    const r = openDentalKeys.safeParse({ developer_key: 'abc/def', customer_key: 's3cret key' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).not.toMatch(/abc\/def|s3cret/);
    expect(
      openDentalKeys.safeParse({ developer_key: 'NFF6i0KrXrxDkZHt', customer_key: 'VzkmZEaUWOjnQX2z' })
        .success,
    ).toBe(true);
  });
});
