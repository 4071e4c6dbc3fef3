// The contract's schemas: what callers may send, and the words they get back when it is wrong.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  bookAppointmentInput,
  createPatientInput,
  fromQueryString,
  issueMessages,
  listAppointmentsInput,
  searchPatientsInput,
  updatePatientInput,
} from '../index';

const messages = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : issueMessages(r.error);
};

const valid = {
  subdomain: 'acme',
  location_id: 1,
  patient: {
    first_name: ' John ',
    last_name: 'Smith',
    email: ' John.Smith@Example.com',
    bio: { phone_number: '+1 (516) 304-2196', date_of_birth: '1964-05-03', gender: 'Male' },
  },
};

describe('createPatientInput', () => {
  it('normalises names, email and phone', () => {
    const out = createPatientInput.parse(valid);
    expect(out.patient).toMatchObject({ first_name: 'John', email: 'john.smith@example.com' });
    expect(out.patient.bio.phone_number).toBe('5163042196');
    expect(out.return_existing_if_match).toBe(false);
  });

  it('names each problem by its JSON field, dropping the patient wrapper', () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const got = messages(createPatientInput, {
      ...valid,
      patient: {
        first_name: '',
        email: 'nope',
        bio: { phone_number: '12', date_of_birth: tomorrow, gender: 'male' },
      },
    });
    expect(got).toEqual([
      'first_name must not be empty',
      'last_name is required',
      'email must be a valid email address',
      'bio.phone_number must be a valid phone number',
      'bio.date_of_birth must not be in the future',
      'bio.gender must be one of: Male, Female, Other',
    ]);
  });

  it('treats a missing bio as empty, so its required fields are judged later, and refuses unknown fields', () => {
    expect(
      createPatientInput.parse({ ...valid, patient: { first_name: 'A', last_name: 'B' } }).patient.bio,
    ).toEqual({});
    expect(messages(createPatientInput, { ...valid, patient: { ...valid.patient, shoe_size: 9 } })).toEqual([
      'shoe_size is not a known field',
    ]);
    expect(messages(createPatientInput, { ...valid, patient: undefined })).toEqual(['patient is required']);
  });

  it('refuses impossible dates of birth', () => {
    for (const [dob, message] of [
      ['1964-02-30', 'bio.date_of_birth must be a real date in the form YYYY-MM-DD'],
      ['1880-01-01', 'bio.date_of_birth must not be more than 130 years ago'],
    ]) {
      expect(
        messages(createPatientInput, {
          ...valid,
          patient: { ...valid.patient, bio: { ...valid.patient.bio, date_of_birth: dob } },
        }),
      ).toEqual([message]);
    }
  });
});

describe('fromQueryString', () => {
  const search = fromQueryString(searchPatientsInput);

  it('treats keys named like object machinery as plain (unknown) keys', () => {
    const strict = fromQueryString(searchPatientsInput.strict());
    const raw = JSON.parse(
      '{"subdomain":"acme","location_id":"1","__proto__":"x","constructor":"1","toString":"2"}',
    );
    const result = strict.safeParse(raw);
    expect(result.success).toBe(false);
    expect(issueMessages(result.error!)).toEqual([
      '__proto__ is not a known field',
      'constructor is not a known field',
      'toString is not a known field',
    ]);
  });

  it('reads a list parameter given once or repeated (include[])', () => {
    expect(search.parse({ subdomain: 'acme', location_id: '1', include: 'procedures' }).include).toEqual([
      'procedures',
    ]);
    expect(
      search.parse({ subdomain: 'acme', location_id: '1', include: ['procedures', 'upcoming_appts'] })
        .include,
    ).toEqual(['procedures', 'upcoming_appts']);
  });

  it('turns query text into the typed input tRPC callers send', () => {
    const out = search.parse({
      subdomain: 'acme',
      location_id: '12',
      inactive: 'false',
      location_strict: 'true',
      per_page: '50',
    });
    expect(out).toMatchObject({
      location_id: 12,
      inactive: false,
      location_strict: true,
      per_page: 50,
      page: 1,
    });
  });

  it('leaves what is not a plain number or boolean as text, so the schema names the field', () => {
    expect(messages(search, { subdomain: 'acme', location_id: '1e3' })).toEqual([
      'location_id must be a number',
    ]);
    expect(messages(search, { subdomain: 'acme', location_id: '1', inactive: 'maybe' })).toEqual([
      'inactive must be a boolean',
    ]);
    expect(messages(search, { subdomain: 'acme', location_id: '1', per_page: '1001' })).toEqual([
      'per_page must be at most 1000',
    ]);
    expect(messages(search, { subdomain: 'acme', location_id: '1', sort: 'colour' })[0]).toMatch(
      /^sort must be one of: id, name/,
    );
  });

  it('reads lists from repeated, bracketed or comma-separated parameters', () => {
    const list = fromQueryString(listAppointmentsInput);
    const base = {
      subdomain: 'acme',
      location_id: '1',
      start: '2030-01-01T00:00:00Z',
      end: '2030-02-01T00:00:00Z',
    };
    expect(list.parse({ ...base, 'patient_ids[]': ['3', '4'] }).patient_ids).toEqual([3, 4]);
    expect(list.parse({ ...base, provider_ids: '5,6' }).provider_ids).toEqual([5, 6]);
    expect(list.parse(base).start).toBe('2030-01-01T00:00:00.000Z');
  });
});

describe('other inputs', () => {
  it('search normalises email and phone and takes a date or date-time for updated_since', () => {
    const out = searchPatientsInput.parse({
      subdomain: 'acme',
      location_id: 1,
      email: ' A@B.CO ',
      phone_number: '516.304.2196',
      updated_since: '2026-01-02',
    });
    expect(out).toMatchObject({
      email: 'a@b.co',
      phone_number: '5163042196',
      updated_since: '2026-01-02T00:00:00.000Z',
    });
    expect(messages(searchPatientsInput, { subdomain: 'Not A Subdomain', location_id: 1 })).toEqual([
      'subdomain must be 1 to 63 lowercase letters, digits or dashes',
    ]);
  });

  it('an edit takes any subset of the fields, and a body without patient names it', () => {
    expect(updatePatientInput.parse({ subdomain: 'a', id: 3, patient: { inactive: true } }).patient).toEqual({
      inactive: true,
    });
    expect(messages(updatePatientInput, { subdomain: 'a', id: 3 })).toEqual(['patient is required']);
  });

  it('an appointment note is at most 128 characters and times are normalised to UTC', () => {
    const base = {
      subdomain: 'a',
      location_id: 1,
      appt: { patient_id: 1, provider_id: 2, start_time: '2030-01-01T09:00:00-05:00' },
    };
    expect(bookAppointmentInput.parse(base).appt.start_time).toBe('2030-01-01T14:00:00.000Z');
    expect(
      messages(bookAppointmentInput, { ...base, appt: { ...base.appt, note: 'x'.repeat(129) } }),
    ).toEqual(['note must be at most 128 characters']);
    expect(
      messages(bookAppointmentInput, { ...base, appt: { ...base.appt, start_time: 'tomorrow' } })[0],
    ).toMatch(/^start_time must be an ISO 8601 date-time/);
  });
});
