// The index keys must lead the database to every patient the scorer would accept: a query token group
// "hits" a patient when they share a key, and search asks for min(groups, 2) hits.
import { describe, expect, it } from 'vitest';
import { NAME_MATCH_THRESHOLD, scoreName } from './names';
import { nameSearchKeys, queryKeyGroups } from './searchKeys';

function hits(
  query: string,
  person: { first_name: string; last_name: string; preferred_name?: string | null },
) {
  const stored = new Set(nameSearchKeys(person));
  const groups = queryKeyGroups(query);
  return { groups: groups.length, hit: groups.filter((g) => g.some((k) => stored.has(k))).length };
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
  ['Robby Miller', 'Bob', 'Miller'],
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
    const { groups, hit } = hits(query, person);
    expect(hit).toBeGreaterThanOrEqual(Math.min(groups, 2));
  });

  it('unrelated names do not share keys in both parts', () => {
    const { hit } = hits('Mary Jones', { first_name: 'Peter', last_name: 'Smith' });
    expect(hit).toBe(0);
    expect(hits('John Smith', { first_name: 'John', last_name: 'Jones' }).hit).toBe(1);
  });
});
