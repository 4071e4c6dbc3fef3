import type { Patient } from '@patients/core';
import { describe, expect, it } from 'vitest';
import { classifyApiError } from '../api';
import { buttonId, parseButtonId } from './customIds';
import { formatAppointmentTime, formatPhone } from './format';
import { apiFailureMessage, badInput } from './messages';
import { patientListField, patientRecordEmbed } from './patient';
import { CANCELLED, duplicateRefusedView, possibleMatchesView, registeredView } from './register';
import { searchResultsView } from './search';

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
    expect(formatAppointmentTime('2026-01-15T14:00:00.000Z', 'America/New_York')).toBe(
      'Thu, Jan 15, 2026, 9:00 AM EST',
    );
    expect(formatAppointmentTime('2026-07-15T14:00:00.000Z', 'America/New_York')).toBe(
      'Wed, Jul 15, 2026, 10:00 AM EDT',
    );
    expect(formatAppointmentTime('2026-07-15T14:00:00.000Z', 'America/Los_Angeles')).toBe(
      'Wed, Jul 15, 2026, 7:00 AM PDT',
    );
    expect(formatAppointmentTime('2026-07-15T14:00:00.000Z', 'Not/AZone')).toBe('2026-07-15 14:00 UTC');
  });
});

describe('patient embeds', () => {
  it('a list entry has name, preferred name, birth date, phone, id, insertion and match reasons', () => {
    expect(
      patientListField(patient({ match: { score: 0.9, reasons: ['preferred name', 'date of birth'] } }), 3),
    ).toEqual({
      name: '3. Jonathan Smith ("Jon")',
      value:
        'Born 1964-05-03 · (212) 555-0101\nID 7 · not yet in the health record system\nMatched on: preferred name, date of birth',
    });
    expect(
      patientListField(patient({ foreign_id: '88', foreign_id_type: 'OpenDental', preferred_name: null }))
        .value,
    ).toBe('Born 1964-05-03 · (212) 555-0101\nID 7 · in OpenDental (record 88)');
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
    const embed = patientRecordEmbed(p, 'America/New_York');
    expect(embed.title).toBe('Jonathan Smith ("Jon")');
    expect(embed.color).toBe(0xf59e0b);
    expect(embed.fields).toEqual([
      { name: 'Patient ID', value: '7', inline: true },
      { name: 'Date of birth', value: '1964-05-03', inline: true },
      { name: 'Gender', value: 'Male', inline: true },
      { name: 'Phone', value: '(212) 555-0101', inline: true },
      { name: 'Email', value: 'jon.smith@example.com', inline: true },
      { name: 'Preferred name', value: 'Jon', inline: true },
      { name: 'Address', value: '1 Main St\nSpringfield, IL 62701' },
      { name: 'Status', value: 'Active · not yet in the health record system' },
      {
        name: '⚠️ Needs completing',
        value: "email, phone: filled from the practice's defaults, please ask the patient and update.",
      },
      {
        name: 'Upcoming appointments (America/New_York)',
        value: 'Thu, Jan 15, 2026, 9:00 AM EST — Dr. Sarah Chen (confirmed)',
      },
    ]);
    expect(embed.footer?.text).toBe('Record created 2025-01-02 · updated 2025-02-03');
  });

  it('a list entry warns about defaulted fields too', () => {
    expect(patientListField(patient({ demographics_defaulted: ['gender'] })).value).toContain(
      '⚠️ To complete: gender (filled from practice defaults)',
    );
  });

  it('says None when there are no upcoming appointments and caps a long list', () => {
    const none = patientRecordEmbed(patient(), 'UTC').fields!.at(-1)!;
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
    const value = patientRecordEmbed(patient({ upcoming_appts: many }), 'UTC').fields!.at(-1)!.value;
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
    const view = searchResultsView({ email: 'a@b.co' }, { patients: [patient()], count: 1, page: 1 }, 'abc');
    expect(view.components).toBeUndefined();
    expect(view.embeds![0]!.footer?.text).toBe('1 match · best match first');
  });

  it('says clearly when nothing matches', () => {
    expect(
      searchResultsView({ date_of_birth: '1990-01-01' }, { patients: [], count: 0, page: 1 }).content,
    ).toBe(
      'No patients match date of birth 1990-01-01. Check the spelling, or try fewer details (a name alone, or a date of birth).',
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
    );
    expect(view.content).toBe(
      'Before registering **Jon Smith** (born 1964-05-03, (212) 555-0101), please check: these 2 patients are already on file and may be the same person.',
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
    const view = possibleMatchesView(entered, many, 's');
    expect(view.components![0]!.components).toHaveLength(5);
    expect(view.embeds![0]!.fields).toHaveLength(5);
    expect(view.content).toContain('(The 5 closest are shown.)');
  });

  it('end states drop the buttons', () => {
    expect(registeredView(patient(), 'UTC').components).toEqual([]);
    expect(CANCELLED.components).toEqual([]);
    const dup = duplicateRefusedView(patient(), 'UTC');
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
