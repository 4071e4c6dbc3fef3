// Index keys for fuzzy name search. A database can find candidates for `scoreName` by exact key lookups
// in one indexed table: a patient's keys are stored, a query's keys are looked up, and any shared key makes
// a candidate. The scorer, not the keys, decides what matches; the keys only have to catch every name
// the scorer would accept (recall) while staying few enough per query (speed).
//
// Kinds of key (the prefix keeps kinds apart):
//   t:<token>      a name token as written (folded): exact names, and nicknames looked up from the query
//   d:<token-1>    the token with one letter deleted: with the query's own deletions this finds every
//                  name one edit away (insert, delete, substitute, adjacent swap), as SymSpell does
//   m:<code>       Double Metaphone codes: names that sound alike (Aleksandr ~ Alexander)
//   p:<prefix>     prefixes (3+ letters) of given names: "Jon" finds "Jonathan"
import { doubleMetaphone } from 'double-metaphone';
import { nicknamesOf } from './nicknames';
import { foldName, nameTokens } from './normalize';

export interface NameKeySource {
  first_name: string;
  last_name: string;
  preferred_name?: string | null;
}

const MIN_PREFIX = 3;
const MIN_DELETION_SOURCE = 3;

function deletions(token: string): string[] {
  if (token.length < MIN_DELETION_SOURCE) return [];
  const out = new Set<string>();
  for (let i = 0; i < token.length; i++) out.add(token.slice(0, i) + token.slice(i + 1));
  return [...out];
}

function phonetic(token: string): string[] {
  if (token.length < 2) return [];
  const [primary, secondary] = doubleMetaphone(token);
  return [...new Set([primary, secondary].filter((c) => c.length > 0))].map((c) => `m:${c}`);
}

function tokenKeys(token: string, keys: Set<string>, given: boolean): void {
  keys.add(`t:${token}`);
  for (const d of deletions(token)) keys.add(`d:${d}`);
  for (const m of phonetic(token)) keys.add(m);
  if (given) for (let n = MIN_PREFIX; n < token.length; n++) keys.add(`p:${token.slice(0, n)}`);
}

/** Every token of a surname, plus the surname with its parts joined ("O Brien" → "obrien"). */
function surnameTokens(last: string): string[] {
  const parts = nameTokens(last);
  const joined = parts.join('');
  return parts.length > 1 ? [...parts, joined] : parts;
}

/** The keys stored for a patient. */
export function nameSearchKeys(person: NameKeySource): string[] {
  const keys = new Set<string>();
  for (const name of [person.first_name, person.preferred_name ?? '']) {
    for (const token of nameTokens(name)) tokenKeys(token, keys, true);
  }
  for (const token of surnameTokens(person.last_name)) tokenKeys(token, keys, false);
  return [...keys];
}

/** The keys to look up for one query token: a patient sharing any of them is a candidate for it. */
export function queryTokenKeys(token: string): string[] {
  const keys = new Set<string>([`t:${token}`, `d:${token}`, `p:${token}`]);
  for (const d of deletions(token)) {
    keys.add(`t:${d}`);
    keys.add(`d:${d}`);
  }
  for (const m of phonetic(token)) keys.add(m);
  for (const nick of nicknamesOf(token, 2)) keys.add(`t:${nick}`);
  return [...keys];
}

/**
 * The query's tokens, each with its keys. "Smith, John" and "John Smith" give the same groups; a query
 * token joined with its neighbour is added too, so "O Brien" finds "OBrien".
 */
export function queryKeyGroups(query: string): string[][] {
  const tokens = nameTokens(query);
  const groups = tokens.map(queryTokenKeys);
  if (tokens.length === 2) {
    const joined = foldName(tokens.join(''));
    groups[0] = [...new Set([...(groups[0] ?? []), `t:${joined}`])];
    groups[1] = [...new Set([...(groups[1] ?? []), `t:${joined}`])];
  }
  return groups;
}
