// The blocking keys must lead the database to every patient the scorer accepts for the SPEC 4.2 cases,
// and a full name must not reach patients who share only one part of it.
import { describe, expect, it } from 'vitest';
import { NAME_MATCH_THRESHOLD, scoreName } from './names';
import { givenPrefilter, nameQueryPlan, nameSearchKeys, planReaches } from './searchKeys';

/** What the database and the search service do: a key the plan reaches, and that the pre-filter keeps. */
function reaches(
  query: string,
  person: { first_name: string; last_name: string; preferred_name?: string | null },
) {
  const plan = nameQueryPlan(query);
  const keep = givenPrefilter(query);
  return nameSearchKeys(person).some((k) => keep(k) && planReaches(plan, [k]));
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
  ['Jonh Smtih', 'Jonathan', 'Smith'],
  ["Shivon O'Brien", 'Siobhán', "O'Brien"],
  ['Shivon', 'Siobhan', 'Kelly'],
  ['Sasha Petrov', 'Alexander', 'Petrov'],
  ['Sasha Petrov', 'Aleksandr', 'Petrov'],
  ['Keeva Walsh', 'Caoimhe', 'Walsh'],
  ['Bbo Miller', 'Robert', 'Miller'],
  ['Fyllis Jones', 'Phyllis', 'Jones'],
  ['Phyllis Jones', 'Fyllis', 'Jones'],
  ['Kristofer Jones', 'Christopher', 'Jones'],
  ['Sahsa Petrov', 'Alexander', 'Petrov'],
];

describe('search keys', () => {
  it.each(CASES)('%s reaches %s %s', (query, first_name, last_name, preferred_name) => {
    const person = { first_name, last_name, preferred_name: preferred_name ?? null };
    expect(scoreName(query, person).score).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    expect(reaches(query, person)).toBe(true);
  });

  it('the pre-filter drops a candidate whose given name cannot match, before its row is read', () => {
    const plan = nameQueryPlan('James Smith');
    const jennifer = nameSearchKeys({ first_name: 'Jennifer', last_name: 'Smith' });
    expect(planReaches(plan, jennifer)).toBe(true);
    expect(reaches('James Smith', { first_name: 'Jennifer', last_name: 'Smith' })).toBe(false);
    expect(reaches('James Smith', { first_name: 'Jim', last_name: 'Smith' })).toBe(true);
  });

  // Every given name the scorer accepts and the keys reach, against every query given name, typos
  // included: the pre-filter must keep them all (it may keep more).
  const GIVEN = [
    'James',
    'Jim',
    'Jimmy',
    'Jamie',
    'Jane',
    'Janet',
    'John',
    'Jon',
    'Jonathan',
    'Johnny',
    'Jennifer',
    'Jenny',
    'Robert',
    'Bob',
    'Rob',
    'Roberta',
    'Bobby',
    'William',
    'Bill',
    'Will',
    'Liam',
    'Elizabeth',
    'Liz',
    'Beth',
    'Betsy',
    'Eliza',
    'Catherine',
    'Katherine',
    'Kate',
    'Kathy',
    'Margaret',
    'Peggy',
    'Maggie',
    'Meg',
    'Alexander',
    'Aleksandr',
    'Alex',
    'Sasha',
    'Michael',
    'Micheal',
    'Mike',
    'Jmaes',
    'Jaems',
    'Jams',
    'Jamess',
    'Jhon',
    'Rboert',
    'Katerine',
    'Elisabeth',
    'Jonh',
    'Siobhan',
    'Shivon',
    'Shivaun',
    'Sean',
    'Shawn',
    'Sahsa',
    'J',
    'Jo',
    'Kat',
  ];
  it.each(GIVEN)('keeps every candidate the scorer accepts for "%s Smith"', (q) => {
    const missed = GIVEN.filter((g) => {
      const person = { first_name: g, last_name: 'Smith' };
      const query = `${q} Smith`;
      const accepted = scoreName(query, person).score >= NAME_MATCH_THRESHOLD;
      return accepted && planReaches(nameQueryPlan(query), nameSearchKeys(person)) && !reaches(query, person);
    });
    expect(missed).toEqual([]);
  });

  it('a full name does not reach a patient who shares only one part of it', () => {
    expect(reaches('Mary Jones', { first_name: 'Peter', last_name: 'Smith' })).toBe(false);
    expect(reaches('John Smith', { first_name: 'John', last_name: 'Jones' })).toBe(false);
    expect(reaches('John Smith', { first_name: 'Mary', last_name: 'Smith' })).toBe(false);
  });
});
