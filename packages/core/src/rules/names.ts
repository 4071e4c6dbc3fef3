// Fuzzy name matching (SPEC 4.2) and the name parts of the duplicate rule (SPEC 4.3).
//
// Distance: Damerau-Levenshtein in its optimal-string-alignment form (a transposition of two neighbouring
// letters costs one edit: "Jonh" ~ "John", "Smtih" ~ "Smith"). We prefer it to Jaro-Winkler because the
// spec speaks in typos ("one or two typos, transpositions or missing letters") and an edit count gives a
// rule a person can check by hand, while a Jaro-Winkler cut-off rewards shared prefixes (Jo... ~ Jo...)
// and lets short unrelated names through. The allowance grows with the SHORTER name's length m:
//   m <= 2        0 edits (Li, Lu, Liu, Al, Ed are different names; two letters leave nothing to spare)
//   m = 3         1 edit, but not a substitution: a missing/extra letter or a swap ("Jon" ~ "John",
//                 "Ann" ~ "Anne") while "Tom"/"Tim", "Jon"/"Jan" (one letter in three) stay apart
//   4 <= m <= 7   1 edit of any kind
//   m >= 8        2 edits
// Sounds-alike uses Double Metaphone, guarded so that it only joins spellings that are also close in
// letters (at most a third of the longer name edited) and of at least 4 letters with a code of at least
// 2 sounds: "Nyguen" ~ "Nguyen", "Aleksandr" ~ "Alexander", but not "Jones" ~ "Janis", "Tom" ~ "Tim".
// Spellings English says the same (ph/f, ck/k, x/ks, a doubled letter, final ie/y: soundSpelling) sound
// alike at any length of 3+ ("Ralf" ~ "Ralph", "Fox" ~ "Foks").
import { doubleMetaphone } from 'double-metaphone';
import {
  isKnownFoldedGivenName,
  nicknameHops,
  nicknamesOfFolded,
  nicknameVia,
  spellingsOf,
} from './nicknames';
import { foldName, nameTokens } from './normalize';

export interface PersonName {
  first_name: string;
  last_name: string;
  preferred_name?: string | null;
  middle_name?: string | null;
}

export interface NameMatch {
  /** In [0, 1]; 0 = not a match. */
  score: number;
  /** Short human reasons, e.g. "nickname: Bob ~ Robert", "typo in last name". */
  reasons: string[];
}

/** Per-part scores. The order is the ranking the spec asks for; the numbers only need to keep it. */
export const NAME_SCORES = {
  exact: 1,
  /** Same letters once case, accents and punctuation are folded away. */
  folded: 0.96,
  nickname1: 0.9,
  /** A spelling said the same, from the shipped list (Shivon ~ Siobhan): curated, so above a typo. */
  spelling: 0.88,
  prefix: 0.84,
  typo1: 0.84,
  nickname2: 0.74,
  /** A typo of a one-hop nickname ("Jonh" ~ John ~ Jonathan). */
  nicknameTypo: 0.74,
  typo2: 0.74,
  phonetic: 0.7,
  /** Typo or sound-alike between two different known given names (Robert/Roberta): found, ranked last. */
  knownNameSlip: 0.62,
  /**
   * Factor for matching one part of a multi-part name ("Garcia" of "Garcia-Lopez"). People give one part of
   * a double surname as a matter of course, so the right first name with part of the surname (James +
   * Clark of Clark-O'Brien: (1 + 0.96 x 0.95) / 2 = 0.956) ranks above a nickname with the whole surname
   * (Jimmy Clark: 0.95), and below the same name spelled otherwise (0.98).
   */
  partFactor: 0.95,
  /** Factor for a query matched by a single name (first, preferred or last) rather than by two. */
  oneNameFactor: 0.9,
} as const;

/**
 * A result is a match when its score is at least this. Every positive score scoreName produces is at
 * least 0.51 (the weakest relation on a part of a name in a one-name match), so this only separates
 * "matched" from 0.
 */
export const NAME_MATCH_THRESHOLD = 0.5;

export type GivenNameRelation = 'equal' | 'nickname' | 'typo' | 'prefix' | 'phonetic';

/** How two folded words relate, with the score of that relation. */
interface WordMatch {
  kind: GivenNameRelation;
  score: number;
  hops: 0 | 1 | 2;
  edits: number;
  /** For a typo of a nickname: the nickname the typo was made in. */
  via?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Edit distance

let rowPrevPrev = new Int32Array(32);
let rowPrev = new Int32Array(32);
let rowCur = new Int32Array(32);

/**
 * Optimal-string-alignment distance between a and b, or max + 1 as soon as it is known to exceed max.
 * Reuses module buffers: no allocation per call for names under 32 letters.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  if (rowCur.length <= lb) {
    rowPrevPrev = new Int32Array(lb + 1);
    rowPrev = new Int32Array(lb + 1);
    rowCur = new Int32Array(lb + 1);
  }
  let pp = rowPrevPrev;
  let prev = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, pp[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = pp;
    pp = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

/** The number of edits the typo rule allows between two folded words (see the module comment). */
export function typoAllowance(a: string, b: string): number {
  const m = Math.min(a.length, b.length);
  if (m <= 2) return 0;
  if (m <= 7) return 1;
  return 2;
}

function isAdjacentSwap(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Edits between a and b when they are within the typo allowance, else null. Words must be folded. */
export function typoEdits(a: string, b: string): number | null {
  if (a === b) return null;
  const allowance = typoAllowance(a, b);
  if (allowance === 0) return null;
  const d = editDistance(a, b, allowance);
  if (d > allowance) return null;
  // Three letters: one substitution changes a third of the name (Tom/Tim), only insertions and swaps count.
  if (Math.min(a.length, b.length) === 3 && a.length === b.length && !isAdjacentSwap(a, b)) return null;
  return d;
}

// ---------------------------------------------------------------------------------------------------------
// Sounds-alike

const metaphoneCache = new Map<string, readonly [string, string]>();

/** Double Metaphone codes of a folded word (cached). */
export function phoneticCodes(word: string): readonly [string, string] {
  let codes = metaphoneCache.get(word);
  if (!codes) {
    if (metaphoneCache.size > 20_000) metaphoneCache.clear();
    codes = doubleMetaphone(word);
    metaphoneCache.set(word, codes);
  }
  return codes;
}

/**
 * A word with the spellings English says the same written one way: ph -> f, ck -> k, x -> ks, c -> k before
 * a, o, u, a doubled letter once, a final ie or ey -> y. Two words equal here are said the same whatever
 * their letters ("Ralf" ~ "Ralph", "Foks" ~ "Fox", "Amie" ~ "Amy"); Double Metaphone joins them too, but
 * its letter-closeness guard below would not.
 */
function soundSpelling(word: string): string {
  return word
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/c(?=[aou])/g, 'k')
    .replace(/([a-z])\1/g, '$1')
    .replace(/(ie|ey)$/, 'y');
}

/** Whether two folded words sound the same (and are close enough in letters; see the module comment). */
export function soundAlike(a: string, b: string): boolean {
  if (a === b || a.length < 3 || b.length < 3) return false;
  if (soundSpelling(a) === soundSpelling(b)) return true;
  if (a.length < 4 || b.length < 4) return false;
  const [a1, a2] = phoneticCodes(a);
  const [b1, b2] = phoneticCodes(b);
  const shared =
    (a1.length >= 2 && (a1 === b1 || a1 === b2)) || (a2.length >= 2 && a2 !== a1 && (a2 === b1 || a2 === b2));
  if (!shared) return false;
  const max = Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));
  return editDistance(a, b, max) <= max;
}

// ---------------------------------------------------------------------------------------------------------
// Word relations

function isPrefixPair(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 3 && short.length < long.length && long.startsWith(short);
}

/**
 * The one-hop nickname of `b` that `a` is one typo of, when `a` is not itself a known name (a real name one
 * letter from a nickname, Joan ~ John ~ Jonathan, is probably someone else): "Jonh" -> john for Jonathan.
 */
export function typoOfNickname(a: string, b: string): string | null {
  if (isKnownFoldedGivenName(a)) return null;
  for (const n of nicknamesOfFolded(b)) if (typoEdits(a, n) === 1) return n;
  return null;
}

/**
 * The best relation between two folded words. Given names (given = true) also relate by nickname (up to
 * `hops`), by a spelling said the same, by a typo of a nickname, and by one being the start of the other;
 * surnames only by equality, typo and sound.
 */
function relateWords(a: string, b: string, given: boolean, hops: 1 | 2): WordMatch | null {
  if (a === '' || b === '') return null;
  if (a === b) return { kind: 'equal', score: NAME_SCORES.folded, hops: 0, edits: 0 };
  const h = given ? nicknameHops(a, b) : null;
  if (h === 1) return { kind: 'nickname', score: NAME_SCORES.nickname1, hops: 1, edits: 0 };
  if (given && spellingsOf(a).has(b))
    return { kind: 'phonetic', score: NAME_SCORES.spelling, hops: 0, edits: 0 };
  // Two different real names the table does not link (Robert/Roberta, Tom/Tim) are probably two people.
  const slip = given && isKnownFoldedGivenName(a) && isKnownFoldedGivenName(b);
  if (given && isPrefixPair(a, b)) {
    // Robert/Roberta, Daniel/Danielle: a real name plus an ending is another real name; Alexa/Alexandria
    // (a longer completion) is a start.
    const ending = slip && Math.abs(a.length - b.length) <= 2;
    return {
      kind: 'prefix',
      score: ending ? NAME_SCORES.knownNameSlip : NAME_SCORES.prefix,
      hops: 0,
      edits: 0,
    };
  }
  const edits = typoEdits(a, b);
  if (edits === 1 && !slip) return { kind: 'typo', score: NAME_SCORES.typo1, hops: 0, edits };
  if (h === 2 && hops === 2) return { kind: 'nickname', score: NAME_SCORES.nickname2, hops: 2, edits: 0 };
  if (edits === 2 && !slip) return { kind: 'typo', score: NAME_SCORES.typo2, hops: 0, edits };
  const sounds = soundAlike(a, b);
  if (sounds && !slip) return { kind: 'phonetic', score: NAME_SCORES.phonetic, hops: 0, edits: 0 };
  if (slip && edits !== null) return { kind: 'typo', score: NAME_SCORES.knownNameSlip, hops: 0, edits };
  if (slip && sounds) return { kind: 'phonetic', score: NAME_SCORES.knownNameSlip, hops: 0, edits: 0 };
  if (given) {
    // Either side may carry the typo: the query ("Jonh" for Jonathan) or the stored name.
    const via = typoOfNickname(a, b) ?? typoOfNickname(b, a);
    if (via) return { kind: 'nickname', score: NAME_SCORES.nicknameTypo, hops: 1, edits: 1, via };
  }
  return null;
}

/**
 * Words written together or apart ("O Brien" ~ "OBrien") compare as one string by equality or typo only:
 * a prefix, nickname or sound of a run-together string means nothing ("johnjones" starts with "john").
 */
function relateJoined(a: string, b: string): WordMatch | null {
  if (a === b) return { kind: 'equal', score: NAME_SCORES.folded, hops: 0, edits: 0 };
  const edits = typoEdits(a, b);
  if (edits === null) return null;
  return { kind: 'typo', score: edits === 1 ? NAME_SCORES.typo1 : NAME_SCORES.typo2, hops: 0, edits };
}

const SPACES = / /g;

/**
 * How two given names relate in search (nicknames up to `hops`, prefixes of 3+ letters, typos, sound).
 * Two different known given names (Robert/Roberta) still relate by typo here, ranked last by scoreName;
 * the duplicate rule is stricter (givenNamesCompatibleForDuplicates).
 */
export function compareGivenNames(a: string, b: string, hops: 1 | 2): GivenNameRelation | null {
  const fa = foldName(a);
  const fb = foldName(b);
  if (fa === '' || fb === '') return null;
  if (fa === fb || fa.replace(SPACES, '') === fb.replace(SPACES, '')) return 'equal';
  return relateWords(fa, fb, true, hops)?.kind ?? null;
}

/**
 * SPEC 4.3: the same first name for duplicate detection: equal (after folding), a nickname ONE hop away in
 * either direction, or a typo (same allowance as search), except that two different known given names
 * (Robert/Roberta, Daniel/Daniela, Jon/Joan) are never a typo of each other. No prefixes, no sound-alikes.
 */
export function givenNamesCompatibleForDuplicates(a: string, b: string): boolean {
  const fa = foldName(a);
  const fb = foldName(b);
  if (fa === '' || fb === '') return false;
  if (fa === fb) return true;
  const ja = fa.replace(SPACES, '');
  const jb = fb.replace(SPACES, '');
  if (ja === jb) return true;
  if (nicknameHops(fa, fb) === 1) return true;
  if (isKnownFoldedGivenName(fa) && isKnownFoldedGivenName(fb)) return false;
  return typoEdits(ja, jb) !== null;
}

/**
 * SPEC 4.3: compatible last names: equal after folding ("O'Brien" = "O Brien" = "OBrien"), a typo, the
 * same parts in another order ("Garcia Lopez" ~ "Lopez-Garcia"), or one is a part of the other's
 * hyphenated or double surname ("Garcia" ~ "Garcia-Lopez"; parts of 2+ letters).
 */
export function surnamesCompatible(a: string, b: string): boolean {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return false;
  const ja = ta.join('');
  const jb = tb.join('');
  if (ja === jb || typoEdits(ja, jb) !== null) return true;
  if (ta.length === tb.length) return ta.length > 1 && [...ta].sort().join(' ') === [...tb].sort().join(' ');
  const [few, many] = ta.length < tb.length ? [ta, tb] : [tb, ta];
  const left = [...many];
  for (const t of few) {
    if (t.length < 2) return false;
    const i = left.indexOf(t);
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// scoreName

type FieldLabel = 'first name' | 'preferred name' | 'last name';

interface Field {
  label: FieldLabel;
  raw: string;
  tokens: string[];
  joined: string;
  literal: string[];
}

interface PartMatch {
  score: number;
  reasons: string[];
  /** Every word equal after folding, same count, same order: the literal text decides exact vs folded. */
  sameWords: boolean;
}

const LITERAL_SEPARATORS = /[\s,]+/u;
const MAX_QUERY_WORDS = 8;
const MAX_PERMUTED_WORDS = 5;

function literalWords(s: string): string[] {
  return s
    .normalize('NFC')
    .split(LITERAL_SEPARATORS)
    .filter((w) => w !== '');
}

function makeField(label: FieldLabel, raw: string | null | undefined): Field | null {
  if (raw == null) return null;
  const tokens = nameTokens(raw);
  if (tokens.length === 0) return null;
  return { label, raw: raw.trim(), tokens, joined: tokens.join(''), literal: literalWords(raw) };
}

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function wordReason(m: WordMatch, query: string, target: string, field: Field): string | null {
  switch (m.kind) {
    case 'equal':
      return null;
    case 'nickname': {
      if (m.via) return `nickname with a typo: ${cap(query)} ~ ${cap(target)} (via ${cap(m.via)})`;
      if (m.hops === 1) return `nickname: ${cap(query)} ~ ${cap(target)}`;
      const via = nicknameVia(query, target);
      return `nickname: ${cap(query)} ~ ${cap(target)}${via ? ` (via ${cap(via)})` : ''}`;
    }
    case 'prefix':
      return query.length < target.length
        ? `${field.label} is start of ${cap(target)}`
        : `${field.label} ${cap(target)} is start of ${cap(query)}`;
    case 'typo':
      return m.edits >= 2 ? `two typos in ${field.label}` : `typo in ${field.label}`;
    case 'phonetic':
      return `sounds like ${cap(target)}`;
  }
}

function single(m: WordMatch, query: string, target: string, field: Field, sameWords: boolean): PartMatch {
  const reason = wordReason(m, query, target, field);
  return { score: m.score, reasons: reason ? [reason] : [], sameWords: sameWords && m.kind === 'equal' };
}

function better(a: PartMatch | null, b: PartMatch | null): PartMatch | null {
  if (!a) return b;
  if (!b) return a;
  return b.score > a.score || (b.score === a.score && b.sameWords && !a.sameWords) ? b : a;
}

/**
 * Best assignment of each query word to a different field word (order-free: "Lopez Garcia" ~ "Garcia
 * Lopez"). Small brute force: names have a handful of words.
 */
function assignWords(q: readonly string[], field: Field, given: boolean, hops: 1 | 2): PartMatch | null {
  const p = q.length;
  const f = field.tokens.length;
  const partial = p < f;
  const rel: (WordMatch | null)[] = new Array(p * f);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < f; j++) {
      const t = field.tokens[j]!;
      // A lone letter of a name ("O" of "O Brien") is not a part worth matching on its own.
      rel[i * f + j] = partial && t.length < 2 ? null : relateWords(q[i]!, t, given, hops);
    }
  }
  const used = new Array<boolean>(f).fill(false);
  const pick = new Array<number>(p).fill(-1);
  let bestSum = -1;
  let bestPick: number[] | null = null;
  const walk = (i: number, sum: number): void => {
    if (i === p) {
      if (sum > bestSum) {
        bestSum = sum;
        bestPick = [...pick];
      }
      return;
    }
    for (let j = 0; j < f; j++) {
      const r = rel[i * f + j];
      if (used[j] || !r) continue;
      used[j] = true;
      pick[i] = j;
      walk(i + 1, sum + r.score);
      used[j] = false;
    }
  };
  walk(0, 0);
  const chosen = bestPick as number[] | null;
  if (!chosen) return null;
  const reasons: string[] = [];
  let sameWords = !partial;
  for (let i = 0; i < p; i++) {
    const j = chosen[i]!;
    const r = rel[i * f + j]!;
    if (r.kind !== 'equal' || i !== j) sameWords = false;
    const reason = wordReason(r, q[i]!, field.tokens[j]!, field);
    if (reason && !reasons.includes(reason)) reasons.push(reason);
  }
  let score = bestSum / p;
  if (partial) {
    score *= NAME_SCORES.partFactor;
    reasons.unshift(`part of ${field.label === 'last name' ? 'surname' : field.label} ${field.raw}`);
  }
  return { score, reasons, sameWords };
}

/** How the query words q match one name field, or null. */
function matchPart(q: readonly string[], field: Field, given: boolean, hops: 1 | 2): PartMatch | null {
  const p = q.length;
  const f = field.tokens.length;
  if (p === 1 && f === 1) {
    const m = relateWords(q[0]!, field.tokens[0]!, given, hops);
    return m ? single(m, q[0]!, field.tokens[0]!, field, true) : null;
  }
  let best: PartMatch | null = null;
  // Written together or apart: "O Brien" ~ "OBrien", "Garcia Lopez" ~ "GarciaLopez".
  const joined = p === 1 ? q[0]! : q.join('');
  const jm = relateJoined(joined, field.joined);
  if (jm) best = single(jm, joined, field.joined, field, false);
  if (p === 2) {
    // Word order is free everywhere else, so here too ("Brien O" ~ "OBrien").
    const reversed = q[1]! + q[0]!;
    const rm = relateJoined(reversed, field.joined);
    if (rm) best = better(best, single(rm, reversed, field.joined, field, false));
  }
  if (p <= f && f <= MAX_PERMUTED_WORDS) best = better(best, assignWords(q, field, given, hops));
  return best;
}

function startsWithWords(words: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > words.length) return false;
  for (let i = 0; i < prefix.length; i++) if (words[i] !== prefix[i]) return false;
  return true;
}

function endsWithWords(words: readonly string[], suffix: readonly string[]): boolean {
  const off = words.length - suffix.length;
  if (off < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (words[off + i] !== suffix[i]) return false;
  return true;
}

/**
 * The final score and reasons of a part: a part whose words are all equal after folding is exact when the
 * query spells it exactly (at the given end of the query), else "same ... ignoring case, accents ...".
 */
function finishPart(
  m: PartMatch,
  field: Field,
  literal: readonly string[],
  at: 'start' | 'end' | 'all',
): { score: number; reasons: string[] } {
  if (m.sameWords) {
    const exact =
      at === 'all'
        ? literal.length === field.literal.length && startsWithWords(literal, field.literal)
        : at === 'start'
          ? startsWithWords(literal, field.literal)
          : endsWithWords(literal, field.literal);
    if (exact) return { score: NAME_SCORES.exact, reasons: m.reasons };
  }
  if (m.reasons.length > 0) return m;
  return { score: m.score, reasons: [`same ${field.label} ignoring case, accents and punctuation`] };
}

interface CompiledQuery {
  tokens: string[];
  literal: string[];
  lowered: string;
}

function compileQuery(query: string): CompiledQuery {
  const tokens = nameTokens(query);
  const literal = literalWords(query);
  return { tokens, literal, lowered: literal.join(' ').toLowerCase() };
}

const NO_MATCH: NameMatch = Object.freeze({ score: 0, reasons: Object.freeze([]) as unknown as string[] });

interface PersonFields {
  first: Field | null;
  preferred: Field | null;
  last: Field | null;
  middle: string[];
}

function personFields(person: PersonName): PersonFields {
  const first = makeField('first name', person.first_name);
  let preferred = makeField('preferred name', person.preferred_name);
  if (preferred && first && preferred.joined === first.joined) preferred = null;
  return {
    first,
    preferred,
    last: makeField('last name', person.last_name),
    middle: person.middle_name ? nameTokens(person.middle_name) : [],
  };
}

/** Extra given words that match the middle name, in order: equal, its initial, or a typo. */
function matchesMiddle(extra: readonly string[], middle: readonly string[]): boolean {
  if (extra.length === 0 || extra.length > middle.length) return false;
  for (let i = 0; i < extra.length; i++) {
    const e = extra[i]!;
    const m = middle[i]!;
    if (e === m || (e.length === 1 && m.startsWith(e)) || typoEdits(e, m) !== null) continue;
    return false;
  }
  return true;
}

/** The given-name part of a query against the first name, the first + middle name, or the preferred name. */
function matchGiven(
  q: readonly string[],
  person: PersonFields,
  hops: 1 | 2,
): { m: PartMatch; field: Field } | null {
  let best: { m: PartMatch; field: Field } | null = null;
  for (const field of [person.first, person.preferred]) {
    if (!field) continue;
    const m = matchPart(q, field, true, hops);
    if (m && (!best || m.score > best.m.score)) best = { m, field };
  }
  const first = person.first;
  if (first && person.middle.length > 0 && q.length > first.tokens.length) {
    const head = q.slice(0, first.tokens.length);
    const head_m = matchPart(head, first, true, hops);
    if (head_m && matchesMiddle(q.slice(first.tokens.length), person.middle)) {
      const m: PartMatch = {
        score: head_m.score,
        reasons: [...head_m.reasons, 'middle name'],
        sameWords: false,
      };
      if (!best || m.score > best.m.score) best = { m, field: first };
    }
  }
  return best;
}

function scoreCompiled(cq: CompiledQuery, person: PersonName): NameMatch {
  const q = cq.tokens;
  if (q.length === 0) return literalFallback(cq, person);
  if (q.length > MAX_QUERY_WORDS) return NO_MATCH;
  const pf = personFields(person);
  let bestScore = 0;
  let bestReasons: string[] = [];

  // A given name and a surname, in either order: both must match.
  if (pf.last) {
    for (let k = 1; k < q.length; k++) {
      for (const swapped of [false, true]) {
        const givenWords = swapped ? q.slice(k) : q.slice(0, k);
        const surnameWords = swapped ? q.slice(0, k) : q.slice(k);
        const g = matchGiven(givenWords, pf, 2);
        if (!g) continue;
        const s = matchPart(surnameWords, pf.last, false, 2);
        if (!s) continue;
        const gf = finishPart(g.m, g.field, cq.literal, swapped ? 'end' : 'start');
        const sf = finishPart(s, pf.last, cq.literal, swapped ? 'start' : 'end');
        const score = (gf.score + sf.score) / 2;
        if (score <= bestScore) continue;
        bestScore = score;
        const reasons: string[] = [];
        if (g.field.label === 'preferred name') reasons.push('preferred name');
        reasons.push(...gf.reasons, ...sf.reasons);
        if (reasons.length === 0) reasons.push('exact name');
        if (swapped) reasons.push('name order swapped');
        bestReasons = reasons;
      }
    }
  }

  // One name: the whole query is the first, preferred or last name (or a part of it).
  for (const field of [pf.first, pf.preferred, pf.last]) {
    if (!field) continue;
    const m = matchPart(q, field, field.label !== 'last name', 2);
    if (!m) continue;
    const done = finishPart(m, field, cq.literal, 'all');
    const score = done.score * NAME_SCORES.oneNameFactor;
    if (score <= bestScore) continue;
    bestScore = score;
    bestReasons = [field.label, ...done.reasons];
  }

  // Four decimals: no floating-point noise (0.9199999999999999) in what callers see.
  const score = Math.round(bestScore * 10_000) / 10_000;
  return score >= NAME_MATCH_THRESHOLD ? { score, reasons: bestReasons } : NO_MATCH;
}

/** Names in scripts that fold to nothing (Cyrillic, CJK ...): exact comparison ignoring case. */
function literalFallback(cq: CompiledQuery, person: PersonName): NameMatch {
  if (cq.lowered === '') return NO_MATCH;
  const norm = (s: string | null | undefined) => (s ? literalWords(s).join(' ').toLowerCase() : '');
  const first = norm(person.first_name);
  const last = norm(person.last_name);
  const preferred = norm(person.preferred_name);
  for (const given of [first, preferred]) {
    if (given === '' || last === '') continue;
    if (cq.lowered === `${given} ${last}` || cq.lowered === `${last} ${given}`) {
      return { score: NAME_SCORES.folded, reasons: ['exact name'] };
    }
  }
  for (const [name, label] of [
    [first, 'first name'],
    [preferred, 'preferred name'],
    [last, 'last name'],
  ] as const) {
    if (name !== '' && cq.lowered === name) {
      return { score: NAME_SCORES.folded * NAME_SCORES.oneNameFactor, reasons: [label] };
    }
  }
  return NO_MATCH;
}

/**
 * A scorer for one query, to rank many candidates: the query is parsed once.
 * `nameMatcher(q)(person)` equals `scoreName(q, person)`.
 */
export function nameMatcher(query: string): (person: PersonName) => NameMatch {
  const cq = compileQuery(query);
  return (person) => scoreCompiled(cq, person);
}

let lastQuery: string | undefined;
let lastCompiled: CompiledQuery | undefined;

/**
 * SPEC 4.2 fuzzy name: how well `query` names `person`. A query of a given name and a surname (either
 * order, comma allowed) must match both; a query of one name (or of one surname in several parts) matches
 * the first, preferred or last name, or a part of a multi-part name. 1 = exactly the person's name.
 */
export function scoreName(query: string, person: PersonName): NameMatch {
  if (query !== lastQuery || !lastCompiled) {
    lastCompiled = compileQuery(query);
    lastQuery = query;
  }
  return scoreCompiled(lastCompiled, person);
}
