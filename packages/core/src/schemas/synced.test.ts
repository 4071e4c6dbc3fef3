import { describe, expect, it } from 'vitest';
import { syncedAppointmentRecord, syncedPatientRecord } from './synced';

const base = {
  foreign_id: '48',
  first_name: ' Mary ',
  last_name: "O'Neil",
  inactive: false,
  non_patient: false,
};

describe('syncedPatientRecord', () => {
  it('keeps and normalises what our contract can hold', () => {
    const r = syncedPatientRecord.parse({
      ...base,
      email: ' Mary.ONeil@Example.COM ',
      phone_number: '(536)624-5871',
      date_of_birth: '1980-02-29',
      gender: 'Female',
      preferred_name: '',
    });
    expect(r).toMatchObject({
      first_name: 'Mary',
      email: 'mary.oneil@example.com',
      phone_number: '5366245871',
      date_of_birth: '1980-02-29',
      gender: 'Female',
      preferred_name: null,
      guarantor_foreign_id: null,
    });
  });

  it.each([
    ['email', 'not-an-email'],
    ['phone_number', '12'],
    ['date_of_birth', '2999-01-01'],
    ['date_of_birth', '1980-02-30'],
    ['gender', 'Unknown'],
  ])('drops an invalid %s (%s) instead of refusing the record', (field, value) => {
    const r = syncedPatientRecord.parse({ ...base, [field]: value });
    expect(r[field as keyof typeof r]).toBeNull();
    expect(r.last_name).toBe("O'Neil");
  });

  it('refuses a record without a name', () => {
    expect(syncedPatientRecord.safeParse({ ...base, first_name: '  ' }).success).toBe(false);
    expect(syncedPatientRecord.safeParse({ ...base, last_name: undefined }).success).toBe(false);
  });
});

describe('syncedAppointmentRecord', () => {
  const appt = {
    foreign_id: '9',
    foreign_patient_id: '48',
    start_time: '2026-12-01T14:00:00.000Z',
    end_time: '2026-12-01T14:30:00.000Z',
    cancelled: false,
    note: null,
  };
  it('accepts a well-formed appointment', () => {
    expect(syncedAppointmentRecord.parse(appt).foreign_id).toBe('9');
  });
  it('refuses one that ends before it starts', () => {
    expect(syncedAppointmentRecord.safeParse({ ...appt, end_time: appt.start_time }).success).toBe(false);
  });
});
