// Blocking keys for fuzzy name search. The database finds a bounded set of candidates by exact and prefix
// look-ups in one indexed table; core's scorer ranks them. The keys only have to reach every patient the
// scorer would accept (recall) while keeping the candidates per query few (speed).
//
// The idea that keeps a query to a few hundred candidates at a million patients: both parts of a name must
// match (SPEC 4.2), so a key joins a SURNAME FORM with the INITIAL of a given name. "john smith" looks up
// `s:smith|j`, not every Smith and every John.
//   s:<form>|<initial>  form: the surname part (`smith`), a one-letter deletion of it (`~smth`, for a query
//                       that lost a letter), or its primary Double Metaphone code (`#SM0`: Nguyen ~ Nyguen);
//                       also the parts run together (`obrien` for "O Brien"). The query side probes the other
//                       one-edit neighbours (extra letter, substitution, swap) as exact surnames. initial: the
//                       first letter of the first or preferred name, and the first letter of its primary
//                       Metaphone code when that differs (Catherine ~ Katherine: K).
// Changing what is stored needs a migration that rebuilds the index (see apps/api db/migrations).
//   g:<given> and g#<code>  the given names and their codes alone, for a query of one name.
// A typo in the first letter of a given name is the one kind of slip these keys do not reach.

import { phoneticCodes } from './names';
import { nicknamesOf } from './nicknames';
import { foldName, nameTokens } from './normalize';

export interface NameKeySource {
  first_name: string;
  last_name: string;
  preferred_name?: string | null;
}

/** Keys to look up exactly, and key prefixes to look up as ranges, for one name query. */
export interface NameQueryPlan {
  keys: string[];
  prefixes: string[];
}

const MIN_DELETION_SOURCE = 3;
const MIN_GIVEN_PREFIX = 3;

function deletions(token: string): string[] {
  if (token.length < MIN_DELETION_SOURCE) return [];
  const out = new Set<string>();
  for (let i = 0; i < token.length; i++) out.add(token.slice(0, i) + token.slice(i + 1));
  return [...out];
}

/** Both Double Metaphone codes: a query looks up either. */
function codes(token: string): string[] {
  if (token.length < 2) return [];
  const [primary, secondary] = phoneticCodes(token);
  return [...new Set([primary, secondary])].filter((c) => c.length > 0);
}

/** The primary code only: what is stored (the secondary, e.g. "A" for every J-name, would blur the keys). */
function primaryCode(token: string): string | undefined {
  if (token.length < 2) return undefined;
  return phoneticCodes(token)[0] || undefined;
}

/** The initials a given name is filed under: its letter, and its sound's letter when different. */
function initialsOf(token: string, into: Set<string>): void {
  if (!token) return;
  into.add(token[0]!);
  const code = primaryCode(token);
  if (code && code[0]!.toLowerCase() !== token[0]) into.add(code[0]!);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every word one substitution or one adjacent swap away (what a query probes as exact surnames). */
function substitutionsAndSwaps(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) {
    for (const c of LETTERS) if (c !== word[i]) out.push(word.slice(0, i) + c + word.slice(i + 1));
    if (i + 1 < word.length && word[i] !== word[i + 1]) {
      out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
    }
  }
  return out;
}

/** The surname forms a patient is filed under (each part, the parts joined, deletions, sound codes). */
function storedSurnameForms(last: string): Set<string> {
  const parts = nameTokens(last);
  const forms = new Set<string>();
  for (const w of parts) {
    forms.add(w);
    for (const d of deletions(w)) forms.add(`~${d}`);
    const code = primaryCode(w);
    if (code) forms.add(`#${code}`);
  }
  // Run together, for "OBrien" ~ "O Brien" (as written only: each part already carries its typos).
  if (parts.length > 1) forms.add(parts.join(''));
  return forms;
}

/** The keys stored for a patient. */
export function nameSearchKeys(person: NameKeySource): string[] {
  const given = [...nameTokens(person.first_name), ...nameTokens(person.preferred_name ?? '')];
  const initials = new Set<string>();
  const keys = new Set<string>();
  for (const g of given) {
    initialsOf(g, initials);
    keys.add(`g:${g}`);
    const code = primaryCode(g);
    if (code) keys.add(`g#${code}`);
  }
  for (const form of storedSurnameForms(person.last_name)) {
    for (const i of initials) keys.add(`s:${form}|${i}`);
  }
  return [...keys];
}

/**
 * What a query word may be as a surname, one edit away at most: the word itself; `~word` (the query lost a
 * letter: a stored deletion equals it); its deletions (the query has a letter too many); its substitutions
 * and adjacent swaps, as exact surnames; and its sound. Each stored patient meets a query in one or two of
 * these, never in every one of its deletions, so a common surname is read once, not once per letter. Most
 * substitutions name no one: those look-ups are index seeks that find nothing.
 */
function querySurnameForms(word: string): string[] {
  const forms = new Set<string>([word, `~${word}`]);
  for (const d of deletions(word)) forms.add(d);
  if (word.length >= MIN_DELETION_SOURCE) for (const v of substitutionsAndSwaps(word)) forms.add(v);
  for (const c of codes(word)) forms.add(`#${c}`);
  return [...forms];
}

/**
 * The initials a query word may stand for as a given name: its own and its nicknames'. One hop: two hops
 * fan out to most of the alphabet (Bob reaches 31 names with 9 initials) and would make every query slow;
 * a two-hop nickname with the same initial is still found and ranked.
 */
function queryInitials(word: string): Set<string> {
  const out = new Set<string>();
  initialsOf(word, out);
  for (const nick of nicknamesOf(word, 1)) initialsOf(nick, out);
  return out;
}

/**
 * The look-ups for a name query. Two or more words: each word in turn is the surname and the others give
 * the initials, so either order and "Last, First" work; the words run together are also tried as one
 * surname ("Garcia Lopez", "O Brien"). One word: a first, preferred or last name.
 */
export function nameQueryPlan(query: string): NameQueryPlan {
  const words = nameTokens(query);
  const keys = new Set<string>();
  const prefixes = new Set<string>();
  if (words.length === 0) return { keys: [], prefixes: [] };

  if (words.length === 1) {
    const w = words[0]!;
    keys.add(`g:${w}`);
    if (w.length >= MIN_GIVEN_PREFIX) prefixes.add(`g:${w}`);
    for (const c of codes(w)) keys.add(`g#${c}`);
    for (const nick of nicknamesOf(w, 2)) keys.add(`g:${nick}`);
    for (const form of querySurnameForms(w)) prefixes.add(`s:${form}|`);
    return { keys: [...keys], prefixes: [...prefixes] };
  }

  for (let i = 0; i < words.length; i++) {
    const initials = new Set<string>();
    words.forEach((w, j) => {
      if (j !== i) for (const x of queryInitials(w)) initials.add(x);
    });
    for (const form of querySurnameForms(words[i]!)) for (const x of initials) keys.add(`s:${form}|${x}`);
  }
  prefixes.add(`s:${foldName(words.join(''))}|`);
  return { keys: [...keys], prefixes: [...prefixes] };
}

/** Whether a plan reaches a patient with these stored keys (what the database does, for tests and eval). */
export function planReaches(plan: NameQueryPlan, stored: readonly string[]): boolean {
  const set = new Set(stored);
  return plan.keys.some((k) => set.has(k)) || stored.some((k) => plan.prefixes.some((p) => k.startsWith(p)));
}
