import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DemographicField, type DuplicateEvidence, findDuplicates, isSamePatient } from './duplicates';

const FIRST = [
  'John',
  'Jon',
  'Jonh',
  'Johnny',
  'Robert',
  'Bob',
  'Roberta',
  'William',
  'Bill',
  'Mary',
  'Maria',
];
const LAST = ['Smith', 'Smyth', 'Jones', 'Garcia', 'Garcia-Lopez', "O'Brien", 'OBrien'];
const EMAILS = ['a@example.com', 'A@Example.com ', 'b@example.com'];
const PHONES = ['5163042196', '(516) 304-2196', '2125550142'];
const DATES = ['1964-05-03', '1964-05-04', '1990-01-01'];
const GENDERS = ['Male', 'Female', 'Other'];
const FIELDS: DemographicField[] = ['email', 'phone_number', 'date_of_birth', 'gender'];

const record: fc.Arbitrary<DuplicateEvidence> = fc.record({
  first_name: fc.constantFrom(...FIRST),
  last_name: fc.constantFrom(...LAST),
  preferred_name: fc.option(fc.constantFrom(...FIRST), { nil: null }),
  email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
  phone_number: fc.option(fc.constantFrom(...PHONES), { nil: null }),
  date_of_birth: fc.option(fc.constantFrom(...DATES), { nil: null }),
  gender: fc.option(fc.constantFrom(...GENDERS), { nil: null }),
  demographics_defaulted: fc.subarray(FIELDS),
});

/** A value for the field that no other generated record has. */
const UNIQUE: Record<DemographicField, string> = {
  email: 'nobody-else@example.org',
  phone_number: '3125550199',
  date_of_birth: '1911-11-11',
  gender: 'Unknown',
};

describe('isSamePatient properties', () => {
  it('is symmetric', () => {
    fc.assert(
      fc.property(record, record, (a, b) => {
        expect(isSamePatient(a, b)).toBe(isSamePatient(b, a));
      }),
      { numRuns: 2000 },
    );
  });

  it('is never true for different birth dates', () => {
    fc.assert(
      fc.property(record, record, (a, b) => {
        fc.pre(a.date_of_birth !== b.date_of_birth);
        expect(isSamePatient(a, b)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('a defaulted field never makes two records duplicates: its value does not change the verdict', () => {
    fc.assert(
      fc.property(record, record, fc.constantFrom(...FIELDS), fc.boolean(), (a, b, field, inA) => {
        const defaultedOne = inA ? a : b;
        const withDefault = {
          ...defaultedOne,
          demographics_defaulted: [...defaultedOne.demographics_defaulted, field],
        };
        const [x, y] = inA ? [withDefault, b] : [a, withDefault];
        // The defaulted record holds the other one's value, or a value nobody else has: same answer.
        const equalValue = { ...x, [field]: inA ? b[field] : a[field] };
        const [x1, y1] = inA ? [equalValue, y] : [x, { ...y, [field]: a[field] }];
        const [x2, y2] = inA ? [{ ...x, [field]: UNIQUE[field] }, y] : [x, { ...y, [field]: UNIQUE[field] }];
        expect(isSamePatient(x1, y1)).toBe(isSamePatient(x2, y2));
        if (field === 'date_of_birth') expect(isSamePatient(x1, y1)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('findDuplicates keeps exactly the records isSamePatient accepts, in order', () => {
    fc.assert(
      fc.property(record, fc.array(record, { maxLength: 20 }), (candidate, existing) => {
        expect(findDuplicates(candidate, existing)).toEqual(
          existing.filter((r) => isSamePatient(candidate, r)),
        );
      }),
    );
  });

  it('finds some duplicates at all (the generators are not vacuous)', () => {
    const samples = fc.sample(fc.tuple(record, record), { numRuns: 3000, seed: 42 });
    expect(samples.some(([a, b]) => isSamePatient(a, b))).toBe(true);
  });
});
