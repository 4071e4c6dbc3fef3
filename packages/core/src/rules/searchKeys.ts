// Blocking keys for fuzzy name search. The database finds a bounded set of candidates by exact and prefix
// look-ups in one indexed table; core's scorer ranks them. The keys only have to reach every patient the
// scorer would accept (recall) while keeping the candidates per query few (speed).
//
// The idea that keeps a query to a few hundred candidates at a million patients: both parts of a name must
// match (SPEC 4.2), so a key joins a SURNAME FORM with the INITIAL of a given name. "john smith" looks up
// `s:smith|j`, not every Smith and every John.
//   s:<form>|<initial>|<given>
//                       form: the surname part (`smith`), a one-letter deletion of it (`~smth`, for a query
//                       that lost a letter), or its primary Double Metaphone code (`#SM0`: Nguyen ~ Nyguen);
//                       also the parts run together (`obrien` for "O Brien"). The query side probes the other
//                       one-edit neighbours (extra letter, substitution, swap) as exact surnames. initial: the
//                       first letter of the first or preferred name, and the first letter of its primary
//                       Metaphone code when that differs (Catherine ~ Katherine: K). given: the given name
//                       itself, read back with the key so that candidates whose given name cannot match
//                       the query (Jennifer for "james smith", a quarter of the J-Smiths' keys) are
//                       dropped before any patient row is read (givenPrefilter).
// Changing what is stored needs a migration that rebuilds the index (see apps/api db/migrations).
//   g:<given> and g#<code>  the given names and their codes alone, for a query of one name.
// A typo in the first letter of a given name is the one kind of slip these keys do not reach.

import { editDistance, phoneticCodes, typoEdits, typoOfNickname } from './names';
import {
  isKnownFoldedGivenName,
  nicknameGraph,
  nicknamesOf,
  nicknamesOfFolded,
  spellingsOf,
} from './nicknames';
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

/** Longest key the table holds (VARCHAR(64) on PostgreSQL). */
export const MAX_KEY_LENGTH = 64;

/** `s:<form>|<initial>|<given>`, the given name cut short to fit; a cut given name ends in `*`. */
function surnameKey(form: string, initial: string, given: string): string {
  const head = `s:${form}|${initial}|`;
  const full = head + given;
  if (full.length <= MAX_KEY_LENGTH) return full;
  return `${full.slice(0, Math.max(head.length, MAX_KEY_LENGTH - 1))}*`;
}

/** The keys stored for a patient. */
export function nameSearchKeys(person: NameKeySource): string[] {
  const given = [...nameTokens(person.first_name), ...nameTokens(person.preferred_name ?? '')];
  const keys = new Set<string>();
  const forms = storedSurnameForms(person.last_name);
  for (const g of given) {
    keys.add(`g:${g}`);
    const code = primaryCode(g);
    if (code) keys.add(`g#${code}`);
    const initials = new Set<string>();
    initialsOf(g, initials);
    for (const form of forms) for (const i of initials) keys.add(surnameKey(form, i, g));
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
 * The initials a query word may stand for as a given name: its own, its nicknames' and its other spellings'
 * (Shivon: S, Keeva: C of Caoimhe). One hop: two hops
 * fan out to most of the alphabet (Bob reaches 31 names with 9 initials) and would make every query slow;
 * a two-hop nickname with the same initial is still found and ranked.
 */
function queryInitials(word: string): ReadonlySet<string> {
  let out = initialsCache.get(word);
  if (!out) {
    if (initialsCache.size > 20_000) initialsCache.clear();
    out = computeQueryInitials(word);
    initialsCache.set(word, out);
  }
  return out;
}

/** Query words repeat (common names), and their initials cost ~300 look-ups for a word that is no name. */
const initialsCache = new Map<string, ReadonlySet<string>>();

function computeQueryInitials(word: string): Set<string> {
  const out = new Set<string>();
  initialsOf(word, out);
  for (const nick of nicknamesOf(word, 1)) initialsOf(nick, out);
  for (const spelling of spellingsOf(word)) initialsOf(spelling, out);
  // A word that is no known name may be a typo of a nickname ("Bbo" for Robert, via Bob): the names it is a
  // nickname of are filed under their own initials. Known names skip this (the scorer does too).
  if (!isKnownFoldedGivenName(word)) {
    for (const near of oneEditNeighbours(word)) {
      for (const formal of nicknamesOfFolded(near)) initialsOf(formal, out);
    }
  }
  return out;
}

/** The known given names one typo away from a word (what a typo of a nickname started as). */
function oneEditNeighbours(word: string): string[] {
  if (word.length < 3) return [];
  const candidates = new Set<string>([...deletions(word), ...substitutionsAndSwaps(word)]);
  for (let i = 1; i <= word.length; i++)
    for (const c of LETTERS) candidates.add(word.slice(0, i) + c + word.slice(i));
  const graph = nicknameGraph();
  return [...candidates].filter((v) => graph.has(v) && typoEdits(word, v) === 1);
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
    for (const spelling of spellingsOf(w)) keys.add(`g:${spelling}`);
    for (const form of querySurnameForms(w)) prefixes.add(`s:${form}|`);
    return { keys: [...keys], prefixes: [...prefixes] };
  }

  // Where the surname most likely is gets every one-edit form; the other words are tried as the surname too
  // (either order works) but only as written or with a letter lost. Every form of every word fans out to
  // surnames nobody meant ("mary" sounds like Moore and Murray), which at a million patients is thousands of
  // candidates. The likely place: before a comma ("Smith, John"), else the last word.
  const comma = query.indexOf(',');
  const likely = comma > 0 ? nameTokens(query.slice(0, comma)).length - 1 : words.length - 1;
  for (let i = 0; i < words.length; i++) {
    const initials = new Set<string>();
    const soundInitials = new Set<string>();
    words.forEach((w, j) => {
      if (j === i) return;
      for (const x of queryInitials(w)) initials.add(x);
      // A stored name whose sound starts with another letter is filed under that sound too ("Phyllis" under
      // F): a query spelled as it sounds ("Fyllis") meets it there. Only with the surname as written or a
      // letter lost: a sound-alike given name and a typo'd surname together would double every look-up.
      // And the other way ("Phyllis" finds a stored "Fyllis", filed under f only).
      const code = primaryCode(w);
      if (code)
        for (const x of [code[0]!, code[0]!.toLowerCase()]) if (!initials.has(x)) soundInitials.add(x);
    });
    const forms = i === likely ? querySurnameForms(words[i]!) : [words[i]!, `~${words[i]!}`];
    for (const form of forms) for (const x of initials) prefixes.add(`s:${form}|${x}|`);
    for (const form of [words[i]!, `~${words[i]!}`, ...codes(words[i]!).map((c) => `#${c}`)]) {
      for (const x of soundInitials) prefixes.add(`s:${form}|${x}|`);
    }
  }
  prefixes.add(`s:${foldName(words.join(''))}|`);
  return { keys: [...keys], prefixes: [...prefixes] };
}

/** Whether a plan reaches a patient with these stored keys (what the database does, for tests and eval). */
export function planReaches(plan: NameQueryPlan, stored: readonly string[]): boolean {
  const set = new Set(stored);
  return plan.keys.some((k) => set.has(k)) || stored.some((k) => plan.prefixes.some((p) => k.startsWith(p)));
}

/**
 * For a name query: whether a candidate reached through `key` can still match, judged from the key alone.
 * Surname keys carry the given name they were filed under; the scorer accepts a given name only when it is
 * equal, a start of the other either way, within two edits, a nickname up to two hops, a typo of a nickname,
 * another spelling, or sounds alike,
 * so a given name none of the query's words relates to in any of those ways cannot score. Every other key
 * (given-name keys, the query's words run together as a surname, cut given names) passes: the scorer decides. A superset of what
 * the scorer accepts by construction, and tested as one (searchKeys.test).
 */
export function givenPrefilter(query: string): (key: string) => boolean {
  const words = nameTokens(query);
  if (words.length < 2) return () => true;
  const nicknames = new Set<string>();
  for (const w of words) for (const n of nicknamesOf(w, 2)) nicknames.add(n);
  const wordCodes = words.map((w) => phoneticCodes(w));
  const joined = words.join('');
  const verdicts = new Map<string, boolean>();
  return (key) => {
    if (!key.startsWith('s:')) return true;
    const bar = key.lastIndexOf('|');
    const initialBar = key.lastIndexOf('|', bar - 1);
    if (bar < 0 || initialBar < 2 || bar - initialBar !== 2) return true;
    // The words run together as one surname ("Garcia Lopez", "O Brien"): the whole query is the surname.
    if (key.slice(2, initialBar) === joined) return true;
    const given = key.slice(bar + 1);
    if (given === '' || given.endsWith('*')) return true;
    let verdict = verdicts.get(given);
    if (verdict === undefined) {
      verdict = relates(given, words, nicknames, wordCodes);
      verdicts.set(given, verdict);
    }
    return verdict;
  };
}

function relates(
  given: string,
  words: readonly string[],
  nicknames: ReadonlySet<string>,
  wordCodes: ReadonlyArray<readonly [string, string]>,
): boolean {
  if (nicknames.has(given)) return true;
  const [g1, g2] = phoneticCodes(given);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === given || given.startsWith(w) || w.startsWith(given)) return true;
    if (editDistance(w, given, 2) <= 2) return true;
    if (spellingsOf(w).has(given) || typoOfNickname(w, given) || typoOfNickname(given, w)) return true;
    const [w1, w2] = wordCodes[i]!;
    if ((g1 && (g1 === w1 || g1 === w2)) || (g2 && (g2 === w1 || g2 === w2))) return true;
  }
  return false;
}
