import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareGivenNames,
  givenNamesCompatibleForDuplicates,
  NAME_MATCH_THRESHOLD,
  type PersonName,
  scoreName,
  surnamesCompatible,
} from './names';

const FIRST = [
  'John',
  'Robert',
  'Bob',
  'Elizabeth',
  'Liz',
  'William',
  'Bill',
  'Margaret',
  'Peggy',
  'Jonathan',
  'Jon',
  'Christopher',
  'Chris',
  'José',
  'María',
  'Zoë',
  'Łukasz',
  'Søren',
  'Ann',
  'Li',
  'Wei',
  'Aleksandr',
  'Mary-Ann',
  'Jean-Luc',
  "D'Angelo",
  'Ngozi',
  'Siobhán',
  'Renée',
  'Jürgen',
  'Ömer',
  'Al',
];
const LAST = [
  'Smith',
  'Jones',
  'Garcia-Lopez',
  'García',
  'Nguyen',
  "O'Brien",
  'OBrien',
  'Müller',
  'Straße',
  'Lee',
  'Li',
  'Kowalski',
  'Van der Berg',
  'de la Cruz',
  'Smyth',
  'Petrov',
  'Okafor',
  'Þórsdóttir',
  'Ng',
  'Ó Súilleabháin',
];

/** Realistic names: from the lists, or made up (capitalised, 2-10 letters, maybe an accent or a hyphen). */
const madeUp = fc
  .tuple(
    fc.stringMatching(/^[a-z]{2,10}$/),
    fc.constantFrom('', '', '', 'é', 'ñ', 'ø', 'ü'),
    fc.option(fc.stringMatching(/^[a-z]{2,8}$/), { nil: undefined }),
  )
  .map(([w, accent, second]) => {
    const word = (w.charAt(0).toUpperCase() + w.slice(1) + accent).slice(0, 11);
    return second ? `${word}-${second.charAt(0).toUpperCase()}${second.slice(1)}` : word;
  });
const firstName = fc.oneof(fc.constantFrom(...FIRST), madeUp);
const lastName = fc.oneof(fc.constantFrom(...LAST), madeUp);
/** A single word (no spaces), as a query word. */
const word = fc.oneof(
  fc.constantFrom(...FIRST.filter((n) => !n.includes(' ')), ...LAST.filter((n) => !n.includes(' '))),
  madeUp,
);
const person = fc.record({
  first_name: firstName,
  last_name: lastName,
  preferred_name: fc.option(firstName, { nil: null }),
}) as fc.Arbitrary<PersonName>;

describe('scoreName properties', () => {
  it('a name scores exactly 1 against itself', () => {
    fc.assert(
      fc.property(firstName, lastName, (f, l) => {
        expect(scoreName(`${f} ${l}`, { first_name: f, last_name: l }).score).toBe(1);
        expect(scoreName(`${l}, ${f}`, { first_name: f, last_name: l }).score).toBe(1);
      }),
    );
  });

  it('is symmetric in word order ("A B" and "B A" score the same for the same person)', () => {
    fc.assert(
      fc.property(word, word, person, (a, b, p) => {
        expect(scoreName(`${a} ${b}`, p).score).toBe(scoreName(`${b} ${a}`, p).score);
      }),
      { numRuns: 500 },
    );
  });

  it('is symmetric in word order for the person own name', () => {
    fc.assert(
      fc.property(person, (p) => {
        const a = scoreName(`${p.first_name} ${p.last_name}`, p).score;
        expect(scoreName(`${p.last_name} ${p.first_name}`, p).score).toBe(a);
      }),
    );
  });

  it('is 0 with no reasons, or between the threshold and 1 with reasons', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          word,
          fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
          fc.string(),
        ),
        person,
        (q, p) => {
          const m = scoreName(q, p);
          if (m.score === 0) {
            expect(m.reasons).toEqual([]);
          } else {
            expect(m.score).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
            expect(m.score).toBeLessThanOrEqual(1);
            expect(m.reasons.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a given name and a surname both have to match: another surname gives 0', () => {
    fc.assert(
      fc.property(person, (p) => {
        // "Zzqx" relates to no real name by nickname, typo, prefix or sound.
        expect(scoreName(`${p.first_name} Zzqxw`, p).score).toBe(0);
      }),
    );
  });

  it('adding a wrong surname to a one-name query never raises its score', () => {
    fc.assert(
      fc.property(word, person, (a, p) => {
        expect(scoreName(`${a} Zzqxw`, p).score).toBeLessThanOrEqual(scoreName(a, p).score);
      }),
    );
  });
});

describe('name relation properties', () => {
  it('compareGivenNames is symmetric', () => {
    fc.assert(
      fc.property(firstName, firstName, fc.constantFrom(1 as const, 2 as const), (a, b, hops) => {
        expect(compareGivenNames(a, b, hops)).toBe(compareGivenNames(b, a, hops));
      }),
    );
  });

  it('givenNamesCompatibleForDuplicates is symmetric, reflexive, and implies a search relation', () => {
    fc.assert(
      fc.property(firstName, firstName, (a, b) => {
        const ab = givenNamesCompatibleForDuplicates(a, b);
        expect(givenNamesCompatibleForDuplicates(b, a)).toBe(ab);
        expect(givenNamesCompatibleForDuplicates(a, a)).toBe(true);
        if (ab) expect(compareGivenNames(a, b, 1)).not.toBeNull();
      }),
    );
  });

  it('surnamesCompatible is symmetric and reflexive', () => {
    fc.assert(
      fc.property(lastName, lastName, (a, b) => {
        expect(surnamesCompatible(b, a)).toBe(surnamesCompatible(a, b));
        expect(surnamesCompatible(a, a)).toBe(true);
      }),
    );
  });
});
