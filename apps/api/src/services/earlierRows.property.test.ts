// The import's pre-check in front of core's duplicate rule may let through too much, never too little:
// whenever core says two records are the same patient, EarlierRows must find the earlier one. Checked on
// generated pairs made to be near each other (nicknames, typos, a part of a double surname, reformatted
// phones, recased emails, defaulted fields), so that many of them are duplicates.
import {
  type DemographicField,
  type DuplicateEvidence,
  duplicateEvidenceOf,
  isSamePatient,
} from '@patients/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EarlierRows } from './earlierRows';

const GIVEN = ['John', 'Jon', 'Jonathan', 'Robert', 'Bob', 'Roberta', 'Mary', 'Maria', 'Siobhan', 'José'];
const SURNAMES = [
  'Smith',
  'Garcia-Lopez',
  'Garcia',
  'Lopez Garcia',
  "O'Brien",
  'OBrien',
  'Nguyen',
  'Abernathy',
];
const EMAILS = ['ann@example.com', ' ANN@Example.com', 'bob@example.org'];
const PHONES = ['2125550142', '(212) 555-0142', '+1 212.555.0142', '3125550199'];
const DATES = ['1964-05-03', '1990-01-01'];
const GENDERS = ['Male', 'Female', 'male ', 'Other'];
const FIELDS: DemographicField[] = ['email', 'phone_number', 'date_of_birth', 'gender'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A word with up to two typos: substitution, insertion, deletion or a swap of neighbours. */
const typoed = (word: string) =>
  fc
    .array(fc.tuple(fc.constantFrom('sub', 'ins', 'del', 'swap'), fc.nat(), fc.constantFrom(...LETTERS)), {
      maxLength: 2,
    })
    .map((edits) => {
      let w = word;
      for (const [kind, at, letter] of edits) {
        const i = at % Math.max(1, w.length);
        if (kind === 'sub') w = w.slice(0, i) + letter + w.slice(i + 1);
        else if (kind === 'ins') w = w.slice(0, i) + letter + w.slice(i);
        else if (kind === 'del' && w.length > 1) w = w.slice(0, i) + w.slice(i + 1);
        else if (kind === 'swap' && i + 1 < w.length) w = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      }
      return w;
    });

const record: fc.Arbitrary<DuplicateEvidence> = fc
  .record({
    first_name: fc.constantFrom(...GIVEN).chain((g) => fc.oneof(fc.constant(g), typoed(g))),
    last_name: fc.constantFrom(...SURNAMES).chain((s) => fc.oneof(fc.constant(s), typoed(s))),
    preferred_name: fc.option(fc.constantFrom(...GIVEN), { nil: null }),
    email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
    phone_number: fc.option(fc.constantFrom(...PHONES), { nil: null }),
    date_of_birth: fc.constantFrom(...DATES),
    gender: fc.option(fc.constantFrom(...GENDERS), { nil: null }),
    demographics_defaulted: fc.subarray(FIELDS),
  })
  .map(duplicateEvidenceOf);

/** A record and another made from it with the slips a second registration has: mostly duplicates. */
const nearPair: fc.Arbitrary<[DuplicateEvidence, DuplicateEvidence]> = record.chain((a) =>
  fc
    .record({
      first_name: fc.oneof(fc.constant(a.first_name), fc.constantFrom(...GIVEN), typoed(a.first_name)),
      last_name: fc.oneof(
        fc.constant(a.last_name),
        typoed(a.last_name),
        fc.constantFrom(...a.last_name.split(/[-\s]/)),
      ),
      preferred_name: fc.constant(a.preferred_name ?? null),
      email: fc.oneof(fc.constant(a.email), fc.constantFrom(...EMAILS)),
      phone_number: fc.oneof(fc.constant(a.phone_number), fc.constantFrom(...PHONES)),
      date_of_birth: fc.constant(a.date_of_birth),
      gender: fc.oneof(fc.constant(a.gender), fc.constantFrom(...GENDERS)),
      demographics_defaulted: fc.subarray(FIELDS),
    })
    .map((b) => [a, duplicateEvidenceOf(b)] as [DuplicateEvidence, DuplicateEvidence]),
);

describe('EarlierRows (the import pre-check) against core duplicate rule', () => {
  it('finds the earlier row of a near pair exactly when core calls them the same patient', () => {
    fc.assert(
      fc.property(nearPair, ([earlier, later]) => {
        const rows = new EarlierRows();
        rows.add(earlier, earlier.date_of_birth!, 3);
        const found = rows.find(later, later.date_of_birth!);
        expect(found !== undefined).toBe(isSamePatient(later, earlier));
      }),
      { numRuns: 5000, seed: 20261204 },
    );
  });

  it('finds every earlier row core calls the same patient', () => {
    fc.assert(
      fc.property(record, record, (earlier, later) => {
        const rows = new EarlierRows();
        rows.add(earlier, earlier.date_of_birth!, 7);
        const found = rows.find(later, later.date_of_birth!);
        if (isSamePatient(later, earlier)) expect(found).toEqual({ line: 7 });
        else expect(found).toBeUndefined();
      }),
      { numRuns: 5000, seed: 20261204 },
    );
  });

  it('among many earlier rows, finds a duplicate whenever core finds one', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 30 }), record, (earlier, later) => {
        const rows = new EarlierRows();
        earlier.forEach((e, i) => {
          if (rows.find(e, e.date_of_birth!) === undefined) rows.add(e, e.date_of_birth!, i + 1);
        });
        const kept = earlier.filter(
          (e, i) => !earlier.slice(0, i).some((before) => isSamePatient(e, before)),
        );
        const expected = kept.some((e) => isSamePatient(later, e));
        expect(rows.find(later, later.date_of_birth!) !== undefined).toBe(expected);
      }),
      { numRuns: 1000, seed: 20261204 },
    );
  });

  it('the generated pairs are duplicates often enough to mean something', () => {
    const near = fc.sample(nearPair, { numRuns: 2000, seed: 7 });
    const same = near.filter(([a, b]) => isSamePatient(b, a)).length;
    // About half: enough duplicates to test the pre-check's recall and enough others for its answers.
    expect(same).toBeGreaterThan(400);
    expect(same).toBeLessThan(1800);
    const independent = fc.sample(fc.tuple(record, record), { numRuns: 2000, seed: 7 });
    expect(independent.filter(([a, b]) => isSamePatient(a, b)).length).toBeGreaterThan(10);
  });
});
