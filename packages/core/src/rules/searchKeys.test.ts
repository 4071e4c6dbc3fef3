// The blocking keys must lead the database to every patient the scorer accepts for the SPEC 4.2 cases,
// and a full name must not reach patients who share only one part of it.
import { describe, expect, it } from 'vitest';
import { NAME_MATCH_THRESHOLD, scoreName } from './names';
import { nameQueryPlan, nameSearchKeys, planReaches } from './searchKeys';

function reaches(
  query: string,
  person: { first_name: string; last_name: string; preferred_name?: string | null },
) {
  return planReaches(nameQueryPlan(query), nameSearchKeys(person));
}

const CASES: Array<[string, string, string, string?]> = [
  ['John Smith', 'John', 'Smith'],
  ['smith john', 'John', 'Smith'],
  ['Smith, John', 'John', 'Smith'],
  ['Jonh Smtih', 'John', 'Smith'],
  ['Jon Smith', 'John', 'Smith'],
  ['Jon Smith', 'Jonathan', 'Smith'],
  ['Chris Evans', 'Christopher', 'Evans'],
  ['Bob Miller', 'Robert', 'Miller'],
  ['Bob Miller', 'Rob', 'Miller'],
  ['Liz Taylor', 'Elizabeth', 'Taylor'],
  ['Peggy Walker', 'Margaret', 'Walker'],
  ['Jose Hernandez', 'José', 'Hernández'],
  ['Garcia', 'Elizabeth', 'Garcia-Lopez'],
  ['Liz Lopez', 'Elizabeth', 'Garcia-Lopez'],
  ['Garcia Lopez', 'Elizabeth', 'Garcia Lopez'],
  ['O Brien', 'Siobhan', "O'Brien"],
  ['OBrien', 'Siobhan', 'O Brien'],
  ['Aleksandr Petrov', 'Alexander', 'Petrov'],
  ['Nyguen', 'Thi', 'Nguyen'],
  ['Jack Smith', 'John', 'Smith', 'Jack'],
];

describe('search keys', () => {
  it.each(CASES)('%s reaches %s %s', (query, first_name, last_name, preferred_name) => {
    const person = { first_name, last_name, preferred_name: preferred_name ?? null };
    expect(scoreName(query, person).score).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    expect(reaches(query, person)).toBe(true);
  });

  it('a full name does not reach a patient who shares only one part of it', () => {
    expect(reaches('Mary Jones', { first_name: 'Peter', last_name: 'Smith' })).toBe(false);
    expect(reaches('John Smith', { first_name: 'John', last_name: 'Jones' })).toBe(false);
    expect(reaches('John Smith', { first_name: 'Mary', last_name: 'Smith' })).toBe(false);
  });
});
