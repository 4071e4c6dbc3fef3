import type { Patient } from '@patients/core';
import { describe, expect, it } from 'vitest';
import { classifyApiError } from '../api';
import { buttonId, parseButtonId } from './customIds';
import { checkDateFormat, makeDisplay } from './dates';
import { humanize } from './fields';
import { formatPhone } from './format';
import { apiFailureMessage, badInput } from './messages';
import { patientListField, patientRecordEmbed } from './patient';
import { plainReasons } from './reasons';
import { CANCELLED, duplicateRefusedView, possibleMatchesView, registeredView } from './register';
import { searchResultsView } from './search';

const ny = makeDisplay({ dateFormat: 'MMM D, YYYY', timeZone: 'America/New_York' });
const utc = makeDisplay({ dateFormat: 'MMM D, YYYY', timeZone: 'UTC' });

function patient(over: Partial<Patient> = {}, bio: Partial<Patient['bio']> = {}): Patient {
  return {
    id: 7,
    email: 'jon.smith@example.com',
    first_name: 'Jonathan',
    middle_name: null,
    last_name: 'Smith',
    name: 'Jonathan Smith',
    preferred_name: 'Jon',
    created_at: '2025-01-02T03:04:05.000Z',
    updated_at: '2025-02-03T04:05:06.000Z',
    institution_id: 1,
    location_ids: [1],
    foreign_id: '7',
    foreign_id_type: 'nex',
    bio: {
      phone_number: '2125550101',
      cell_phone_number: null,
      home_phone_number: null,
      work_phone_number: null,
      date_of_birth: '1964-05-03',
      gender: 'Male',
      street_address: null,
      new_patient: true,
      non_patient: false,
      address_line_1: null,
      address_line_2: null,
      city: null,
      state: null,
      zip_code: null,
      ...bio,
    },
    inactive: false,
    non_patient: false,
    new_patient: true,
    last_sync_time: null,
    guarantor_id: null,
    provider_id: 1,
    unsubscribe_sms: false,
    demographics_defaulted: [],
    upcoming_appts: [],
    procedures: [],
    insurance_coverages: [],
    ...over,
  };
}

describe('formatting', () => {
  it('formats US phones and leaves others as stored', () => {
    expect(formatPhone('2125550101')).toBe('(212) 555-0101');
    expect(formatPhone('+442071838750')).toBe('+442071838750');
    expect(formatPhone(null)).toBe('—');
  });
  it('shows appointment times in the practice time zone, daylight saving included', () => {
    expect(ny.dateTime('2026-01-15T14:00:00.000Z')).toBe('Thu, Jan 15, 2026, 9:00 AM EST');
    expect(ny.dateTime('2026-07-15T14:00:00.000Z')).toBe('Wed, Jul 15, 2026, 10:00 AM EDT');
    const la = makeDisplay({ dateFormat: 'MMM D, YYYY', timeZone: 'America/Los_Angeles' });
    expect(la.dateTime('2026-07-15T14:00:00.000Z')).toBe('Wed, Jul 15, 2026, 7:00 AM PDT');
    expect(ny.zoneNote).toBe('Times are in America/New_York.');
  });

  it('shows dates of birth as May 3, 1964, or in the practice pattern, or the server locale', () => {
    expect(ny.date('1964-05-03')).toBe('May 3, 1964');
    expect(makeDisplay({ dateFormat: 'DD/MM/YYYY', timeZone: 'UTC' }).date('1964-05-03')).toBe('03/05/1964');
    expect(makeDisplay({ dateFormat: 'D MMMM YYYY', timeZone: 'UTC' }).date('1964-05-03')).toBe('3 May 1964');
    expect(makeDisplay({ dateFormat: 'locale', timeZone: 'UTC', locale: 'de' }).date('1964-05-03')).toBe(
      '03.05.1964',
    );
    expect(ny.date(null)).toBe('—');
  });

  it('checks a BOT_DATE_FORMAT pattern', () => {
    for (const ok of ['MMM D, YYYY', 'YYYY-MM-DD', 'D.M.YYYY', 'locale'])
      expect(checkDateFormat(ok)).toBeNull();
    expect(checkDateFormat('dd/mm/yyyy')).toBe('"dd" is not one of YYYY, MMMM, MMM, MM, M, DD, D');
    expect(checkDateFormat('MMM YYYY')).toBe(
      'it needs a year (YYYY), a month (MMMM, MMM, MM or M) and a day (DD or D)',
    );
    expect(checkDateFormat('D D MMM YYYY')).toBe('each of year, month and day once');
  });
});

describe('plain words', () => {
  it('match reasons become short phrases', () => {
    expect(plainReasons(['date of birth', 'phone'])).toBe('same birthday and phone');
    expect(plainReasons(['date of birth', 'nickname: Dan ~ Daniel', 'last name', 'email', 'phone'])).toBe(
      'same last name, birthday, email and phone; Dan is short for Daniel',
    );
    expect(plainReasons(['nickname: Robert ~ Bob'])).toBe('Bob is short for Robert');
    expect(plainReasons(['nickname: Bob ~ Rob (via Robert)'])).toBe('Bob and Rob are both forms of Robert');
    expect(plainReasons(['typo in last name', 'first name is start of Jonathan'])).toBe(
      'last name spelt slightly differently; could be short for Jonathan',
    );
    expect(plainReasons(['exact name', 'first name', 'date of birth'])).toBe('same name and birthday');
    expect(plainReasons(['sounds like Nguyen', 'name order swapped'])).toBe(
      'sounds like Nguyen; last name given first',
    );
    expect(plainReasons([])).toBe('');
  });

  it('API messages lose their field paths', () => {
    expect(humanize('bio.phone_number is required')).toBe('Phone number is missing');
    expect(humanize('email is required')).toBe('Email is missing');
    expect(humanize('bio.date_of_birth must not be in the future')).toBe(
      'Date of birth must not be in the future',
    );
    expect(humanize('start_time must be in the future')).toBe('The time must be in the future');
    expect(humanize('provider_id does not work at this location')).toBe(
      'Provider does not work at this location',
    );
    expect(humanize('Patient not found')).toBe('Patient not found');
  });
});

describe('patient embeds', () => {
  it('a list entry has name, preferred name, birth date, phone, id, insertion and match reasons', () => {
    expect(
      patientListField(
        patient({ match: { score: 0.9, reasons: ['preferred name', 'date of birth'] } }),
        utc,
        3,
      ),
    ).toEqual({
      name: '3. Jonathan Smith ("Jon")',
      value:
        "Born May 3, 1964 · (212) 555-0101\nID 7 · not yet in the practice's records (added at the first booking)\nWhy: same preferred name and birthday",
    });
    // The score only when asked, as a percentage.
    expect(
      patientListField(patient({ match: { score: 0.912, reasons: ['email'] } }), utc, 1, true).value,
    ).toContain('Why: same email\nCloseness: 91%');
    expect(
      patientListField(
        patient({ foreign_id: '88', foreign_id_type: 'OpenDental', preferred_name: null }),
        utc,
      ).value,
    ).toBe("Born May 3, 1964 · (212) 555-0101\nID 7 · already in the practice's records");
  });

  it('the full record flags defaulted demographics and lists appointments', () => {
    const p = patient(
      {
        demographics_defaulted: ['email', 'phone_number'],
        upcoming_appts: [
          {
            id: 1,
            provider_id: 2,
            provider_name: 'Dr. Sarah Chen',
            start_time: '2026-01-15T14:00:00.000Z',
            end_time: '2026-01-15T14:30:00.000Z',
            location_id: 1,
            confirmed: true,
          },
        ],
      },
      { address_line_1: '1 Main St', city: 'Springfield', state: 'IL', zip_code: '62701' },
    );
    const embed = patientRecordEmbed(p, ny);
    expect(embed.title).toBe('Jonathan Smith ("Jon")');
    expect(embed.color).toBe(0xf59e0b);
    expect(embed.fields).toEqual([
      { name: 'Patient ID', value: '7', inline: true },
      { name: 'Date of birth', value: 'May 3, 1964', inline: true },
      { name: 'Gender', value: 'Male', inline: true },
      { name: 'Phone', value: '(212) 555-0101', inline: true },
      { name: 'Email', value: 'jon.smith@example.com', inline: true },
      { name: 'Preferred name', value: 'Jon', inline: true },
      { name: 'Address', value: '1 Main St\nSpringfield, IL 62701' },
      { name: 'Status', value: "Active · not yet in the practice's records (added at the first booking)" },
      {
        name: '⚠️ Needs completing',
        value:
          "email and phone number: filled from the practice's defaults. Ask the patient, then use /patient complete id:7.",
      },
      {
        name: 'Upcoming appointments (America/New_York)',
        value: 'Thu, Jan 15, 2026, 9:00 AM EST — Dr. Sarah Chen (confirmed)',
      },
    ]);
    expect(embed.footer?.text).toBe('Record created Wed, Jan 1, 2025 · updated Sun, Feb 2, 2025');
  });

  it('a list entry warns about defaulted fields too', () => {
    expect(patientListField(patient({ demographics_defaulted: ['gender'] }), utc).value).toContain(
      '⚠️ To complete: gender (practice defaults; /patient complete id:7)',
    );
  });

  it('says None when there are no upcoming appointments and caps a long list', () => {
    const none = patientRecordEmbed(patient(), utc).fields!.at(-1)!;
    expect(none.value).toBe('None');
    const many = Array.from({ length: 12 }, (_, i) => ({
      id: i + 1,
      provider_id: 1,
      provider_name: 'Dr. A',
      start_time: `2026-03-${String(i + 1).padStart(2, '0')}T15:00:00.000Z`,
      end_time: `2026-03-${String(i + 1).padStart(2, '0')}T15:30:00.000Z`,
      location_id: 1,
      confirmed: false,
    }));
    const value = patientRecordEmbed(patient({ upcoming_appts: many }), utc).fields!.at(-1)!.value;
    expect(value.split('\n')).toHaveLength(11);
    expect(value.endsWith('… and 2 more')).toBe(true);
  });
});

describe('search results', () => {
  it('puts the total in the footer and pages with buttons', () => {
    const patients = Array.from({ length: 10 }, (_, i) => patient({ id: i + 1 }));
    const view = searchResultsView(
      { name: 'Smith', phone_number: '2125550101' },
      { patients, count: 23, page: 2 },
      utc,
      'abc',
    );
    const embed = view.embeds![0]!;
    expect(embed.title).toBe('Patients matching name “Smith”, phone (212) 555-0101');
    expect(embed.fields).toHaveLength(10);
    expect(embed.fields![0]!.name).toBe('11. Jonathan Smith ("Jon")');
    expect(embed.footer?.text).toBe('Showing 11–20 of 23 matches · page 2 of 3 · best match first');
    const buttons = view.components![0]!.components;
    expect(
      buttons.map((b) => ['label' in b ? b.label : null, 'custom_id' in b ? b.custom_id : null, b.disabled]),
    ).toEqual([
      ['◀ Previous', 'patient:page:abc:1', false],
      ['Next ▶', 'patient:page:abc:3', false],
    ]);
  });

  it('has no buttons when everything fits on one page', () => {
    const view = searchResultsView(
      { email: 'a@b.co' },
      { patients: [patient()], count: 1, page: 1 },
      utc,
      'abc',
    );
    expect(view.components).toBeUndefined();
    expect(view.embeds![0]!.footer?.text).toBe('1 match · best match first');
  });

  it('says clearly when nothing matches', () => {
    expect(
      searchResultsView({ date_of_birth: '1990-01-01' }, { patients: [], count: 0, page: 1 }, utc).content,
    ).toBe(
      'No patients match date of birth Jan 1, 1990. Check the spelling, or try fewer details (a name alone, or a date of birth).',
    );
  });
});

describe('register views', () => {
  const entered = {
    first_name: 'Jon',
    last_name: 'Smith',
    date_of_birth: '1964-05-03',
    gender: 'Male' as const,
    provider_id: 1,
    phone_number: '2125550101',
  };

  it('offers one "Use this patient" per match, then "Register as new" and "Cancel"', () => {
    const view = possibleMatchesView(
      entered,
      [patient(), patient({ id: 8, first_name: 'Jonah', preferred_name: null })],
      's1',
      utc,
    );
    expect(view.content).toBe(
      'Before registering **Jon Smith** (born May 3, 1964, (212) 555-0101), please check: these 2 patients are already on file and may be the same person.',
    );
    const ids = view.components!.flatMap((row) =>
      row.components.map((b) => ('custom_id' in b ? [b.label, b.custom_id] : [])),
    );
    expect(ids).toEqual([
      ['Use this patient: Jonathan Smith (ID 7)', 'patient:use:s1:7'],
      ['Use this patient: Jonah Smith (ID 8)', 'patient:use:s1:8'],
      ['Register as new', 'patient:new:s1'],
      ['Cancel', 'patient:cancel:s1'],
    ]);
  });

  it('shows at most five matches as choices', () => {
    const many = Array.from({ length: 7 }, (_, i) => patient({ id: i + 1 }));
    const view = possibleMatchesView(entered, many, 's', utc);
    expect(view.components![0]!.components).toHaveLength(5);
    expect(view.embeds![0]!.fields).toHaveLength(5);
    expect(view.content).toContain('(The 5 closest are shown.)');
  });

  it('end states drop the buttons', () => {
    expect(registeredView(patient(), utc).components).toEqual([]);
    expect(CANCELLED.components).toEqual([]);
    const dup = duplicateRefusedView(patient(), utc);
    expect(dup.content).toBe(
      'This patient is already registered (ID 7), so nothing new was created. Here is the existing record:',
    );
    expect(dup.embeds![0]!.title).toBe('Already registered: Jonathan Smith ("Jon")');
    expect(dup.components).toEqual([]);
  });
});

describe('button ids', () => {
  it('round-trip and reject ids this bot did not make', () => {
    for (const a of [
      { action: 'page', session: 'abc_-1', page: 0 },
      { action: 'use', session: 'x', patientId: 42 },
      { action: 'new', session: 'x' },
      { action: 'cancel', session: 'x' },
    ] as const) {
      expect(parseButtonId(buttonId(a))).toEqual(a);
    }
    for (const bad of [
      'other:new:x',
      'patient:use:x',
      'patient:use:x:0',
      'patient:new:x:1',
      'patient:drop:x',
      'patient:use:a b:1',
    ]) {
      expect(parseButtonId(bad)).toBeNull();
    }
    expect(
      buttonId({ action: 'use', session: 'A'.repeat(12), patientId: 2_147_483_647 }).length,
    ).toBeLessThanOrEqual(100);
  });
});

describe('messages', () => {
  it('list bad fields and turn API failures into short sentences', () => {
    expect(badInput(['phone is not a valid phone number']).content).toBe(
      'Please check this value and try again:\n• phone is not a valid phone number',
    );
    expect(apiFailureMessage({ kind: 'unreachable' })).toBe(
      'The patient service cannot be reached right now. Please try again in a few minutes.',
    );
    expect(apiFailureMessage({ kind: 'server', status: 502, messages: [] })).toContain(
      'health record system',
    );
    expect(apiFailureMessage({ kind: 'credentials', status: 401 })).toContain("bot's API key");
    expect(apiFailureMessage(null)).toBe(
      'Sorry, something went wrong on our side. Please try again in a moment.',
    );
    expect(classifyApiError(new Error('x'))).toBeNull();
  });
});
