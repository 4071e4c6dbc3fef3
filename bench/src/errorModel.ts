// The error model: how the evaluation turns a stored patient into what a person types when looking for them
// (search queries, SPEC 4.2) or when registering them again (duplicates, SPEC 4.3). Seeded and deterministic.
//
// Search query kinds, each made from one stored record (First = first name, Last = last name as stored):
//   exact           "First Last" exactly as stored.
//   folded          lower-case, accents and special letters removed ("garcia-lopez" for "García-López").
//   swapped         "Last First".
//   comma           "Last, First".
//   typo_first      one typo in the first name: substitution, insertion, deletion or transposition of adjacent
//                   letters, chosen at random, never of the first letter; only edits within the typo allowance
//                   (core's typoEdits: none when either word has 1-2 letters, no substitution in 3-letter words).
//   typo_last       the same in the last name (in its longest part when it has several).
//   two_typos       one typo in each name, or two typos in one name of 8+ letters.
//   nickname        the first name replaced by a name one hop away in the shipped nickname table, either
//                   direction (Robert -> Bob, Bill -> William).
//   preferred       "Preferred Last" for records that have a preferred name.
//   hyphen_part     "First Part" with one part of a hyphenated surname ("Garcia" for Garcia-Lopez).
//   missing_letter  one letter (not the first) left out of the first or last name.
//   nickname_typo   SPEC 4.2's "Jonh Smtih" for Jonathan Smith: a one-hop nickname of the first name with one
//                   typo that makes no known name, and two neighbouring letters of the surname swapped.
//   sound_alike     one name written as it sounds: a given name of another origin in a spelling said the
//                   same (Shivon for Siobhán, from core's list), else the first or last name rewritten by one
//                   English sound-keeping rule in a word of 4+ letters (ph/f, c/k, x/ks, y/ie, ee/ea, s/z, a
//                   doubled or undoubled letter: "Katherine" for Catherine, "Aleksander", "Phillips" for
//                   Philips), never one that makes another known given name (Joann -> Joan is someone else).
// Typo'd words are written folded (lower-case, no accents); the rest as stored.
//
// Duplicate re-entries (each must be refused), made from one stored record, date of birth and gender kept:
//   typo_first      a typo in the first name that does not make another known given name; all else equal.
//   typo_last       a typo in the last name; new email and new phone (the surname is the only evidence).
//   nickname        the first name as a one-hop nickname; new email (phone kept).
//   phone_format    the phone written another way ("(212) 555-0142", "212.555.0142", "+1 212-555-0142",
//                   "1 212 555 0142"); new surname (married name) and new email: the phone is the evidence.
//   email_case      the email in other case with spaces around it; new surname and new phone.
import { foldName, isKnownGivenName, nicknamesOf, spellingsOf, typoEdits } from '@patients/core';
import type { PatientRecord } from './generate';
import type { Random } from './random';

export const QUERY_KINDS = [
  'exact',
  'folded',
  'swapped',
  'comma',
  'typo_first',
  'typo_last',
  'two_typos',
  'nickname',
  'preferred',
  'hyphen_part',
  'missing_letter',
  'nickname_typo',
  'sound_alike',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export const DUPLICATE_KINDS = ['typo_first', 'typo_last', 'nickname', 'phone_format', 'email_case'] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];

export type NameFields = Pick<PatientRecord, 'first_name' | 'last_name' | 'preferred_name'>;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
type Edit = 'substitution' | 'insertion' | 'deletion' | 'transposition';

/** The edits SPEC's typo allowance permits in a word of this length. */
function allowedEdits(length: number): Edit[] {
  if (length <= 2) return [];
  if (length === 3) return ['insertion', 'deletion', 'transposition'];
  return ['substitution', 'insertion', 'deletion', 'transposition'];
}

/** One typo in a folded word, or null when the allowance permits none. */
export function typo(random: Random, word: string, only?: Edit): string | null {
  const edits = allowedEdits(word.length).filter((e) => !only || e === only);
  if (!edits.length) return null;
  for (let attempt = 0; attempt < 10; attempt++) {
    const edit = random.pick(edits);
    const i = random.int(1, word.length - 1); // keep the first letter: people rarely miss it
    let out: string;
    if (edit === 'substitution') {
      let c = random.pick([...LETTERS]);
      while (c === word[i]) c = random.pick([...LETTERS]);
      out = word.slice(0, i) + c + word.slice(i + 1);
    } else if (edit === 'insertion') {
      out = word.slice(0, i) + random.pick([...LETTERS]) + word.slice(i);
    } else if (edit === 'deletion') {
      out = word.slice(0, i) + word.slice(i + 1);
    } else {
      if (i >= word.length - 1 || word[i] === word[i + 1]) continue;
      out = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    }
    // The result must still be within the allowance (a 3-letter name losing a letter is not a typo).
    if (typoEdits(word, out) === 1) return out;
  }
  return null;
}

/** Two typos in one folded word of 8+ letters, at positions far enough apart not to cancel out. */
function twoTypos(random: Random, word: string): string | null {
  if (word.length < 8) return null;
  const half = Math.floor(word.length / 2);
  for (let attempt = 0; attempt < 10; attempt++) {
    const a = typo(random, word.slice(0, half), 'substitution');
    const b = typo(random, word.slice(half));
    if (a && b && typoEdits(word, a + b) === 2) return a + b;
  }
  return null;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Applies `change` to the longest word of a name (folded), keeping the other words as written. */
function inLongestWord(name: string, change: (word: string) => string | null): string | null {
  const words = name.split(/([\s-]+)/);
  let best = -1;
  for (let i = 0; i < words.length; i += 2) {
    if (best < 0 || foldName(words[i]!).length > foldName(words[best]!).length) best = i;
  }
  const folded = foldName(words[best]!).replace(/ /g, '');
  const changed = change(folded);
  if (changed === null) return null;
  words[best] = changed;
  return words.join('');
}

function nicknameOf(random: Random, first: string): string | null {
  const options = [...nicknamesOf(first, 1)].filter((n) => /^[a-z]{2,}$/.test(n)).sort();
  return options.length ? cap(random.pick(options)) : null;
}

/** A one-hop nickname of the first name with one typo that makes no known name ("Jonh" for Jonathan). */
function typoOfANickname(random: Random, first: string): string | null {
  const options = [...nicknamesOf(first, 1)].filter((n) => /^[a-z]{3,}$/.test(n)).sort();
  for (let attempt = 0; attempt < 8 && options.length; attempt++) {
    const t = typo(random, random.pick(options));
    if (t && !isKnownGivenName(t)) return cap(t);
  }
  return null;
}

/**
 * Spelling changes that keep the sound in English: [pattern, replacement]. Each applies at one match; a rule
 * that would touch the first letter is allowed (Catherine -> Katherine is how people mishear it).
 */
const SOUND_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/ph/, 'f'],
  [/(?<=[aeiou])f(?=[aeiou])/, 'ph'],
  [/ck/, 'k'],
  [/c(?=[aou])/, 'k'],
  [/k(?=[aou])/, 'c'],
  [/x/, 'ks'],
  [/(?<!c)ks/, 'x'],
  [/y$/, 'ie'],
  [/ie$/, 'y'],
  [/ee/, 'ea'],
  [/ea/, 'ee'],
  [/(?<=[aeiou])s(?=[aeiou])/, 'z'],
  [/z/, 's'],
  [/([bdfglmnprt])\1/, '$1'],
  [/(?<=[aeiou])([lnrt])(?=[aeiouy])/, '$1$1'],
];

/**
 * One sound-keeping respelling of a folded word of 4+ letters, or null when no rule applies. For a given name,
 * a respelling that is another known name is not made ("Joan" from Joann, "Lea" from Lee: other people).
 */
function respell(random: Random, word: string, given: boolean): string | null {
  if (word.length < 4) return null;
  const applicable = SOUND_RULES.filter(([re]) => re.test(word));
  if (!applicable.length) return null;
  const [re, to] = random.pick(applicable);
  const out = word.replace(re, to);
  if (out === word || (given && isKnownGivenName(out))) return null;
  return out;
}

/** What a person might type, or null when this kind does not apply to the record. */
export function makeQuery(kind: QueryKind, p: NameFields, random: Random): string | null {
  const first = p.first_name;
  const last = p.last_name;
  switch (kind) {
    case 'exact':
      return `${first} ${last}`;
    case 'folded':
      return `${first} ${last}`
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(/ł/gi, 'l')
        .replace(/ø/gi, 'o')
        .replace(/đ/gi, 'd')
        .toLowerCase();
    case 'swapped':
      return `${last} ${first}`;
    case 'comma':
      return `${last}, ${first}`;
    case 'typo_first': {
      const t = inLongestWord(first, (w) => typo(random, w));
      return t && `${t} ${last}`;
    }
    case 'typo_last': {
      const t = inLongestWord(last, (w) => typo(random, w));
      return t && `${first} ${t}`;
    }
    case 'two_typos': {
      const longOne = random.chance(0.5) ? (random.chance(0.5) ? 'first' : 'last') : null;
      if (longOne === 'first') {
        const t = inLongestWord(first, (w) => twoTypos(random, w));
        if (t) return `${t} ${last}`;
      } else if (longOne === 'last') {
        const t = inLongestWord(last, (w) => twoTypos(random, w));
        if (t) return `${first} ${t}`;
      }
      const f = inLongestWord(first, (w) => typo(random, w));
      const l = inLongestWord(last, (w) => typo(random, w));
      return f && l ? `${f} ${l}` : null;
    }
    case 'nickname': {
      const n = nicknameOf(random, first);
      return n && `${n} ${last}`;
    }
    case 'preferred':
      return p.preferred_name ? `${p.preferred_name} ${last}` : null;
    case 'hyphen_part': {
      if (!last.includes('-')) return null;
      return `${first} ${random.pick(last.split('-'))}`;
    }
    case 'missing_letter': {
      const drop = (w: string) => typo(random, w, 'deletion');
      if (random.chance(0.5)) {
        const t = inLongestWord(first, drop);
        if (t) return `${t} ${last}`;
      }
      const t = inLongestWord(last, drop);
      return t && `${first} ${t}`;
    }
    case 'nickname_typo': {
      const n = typoOfANickname(random, first);
      const l = inLongestWord(last, (w) => typo(random, w, 'transposition'));
      return n && l ? `${n} ${l}` : null;
    }
    case 'sound_alike': {
      const spellings = [...spellingsOf(foldName(first))].sort();
      if (spellings.length) return `${cap(random.pick(spellings))} ${last}`;
      if (random.chance(0.5)) {
        const t = inLongestWord(first, (w) => respell(random, w, true));
        if (t) return `${cap(t)} ${last}`;
      }
      const t = inLongestWord(last, (w) => respell(random, w, false));
      return t && `${first} ${cap(t)}`;
    }
  }
}

function reformatPhone(random: Random, digits: string): string {
  const a = digits.slice(0, 3);
  const e = digits.slice(3, 6);
  const n = digits.slice(6);
  return random.pick([`(${a}) ${e}-${n}`, `${a}.${e}.${n}`, `+1 ${a}-${e}-${n}`, `1 ${a} ${e} ${n}`]);
}

function recase(random: Random, email: string): string {
  const cased = [...email].map((c) => (random.chance(0.4) ? c.toUpperCase() : c)).join('');
  return ` ${cased === email ? email.toUpperCase() : cased} `;
}

export interface Fresh {
  /** A surname, email and phone that belong to nobody in particular. */
  surname(): string;
  email(): string;
  phone(): string;
}

/** The same person registered again with the given slip, or null when it does not apply to the record. */
export function reenter(
  kind: DuplicateKind,
  p: PatientRecord,
  random: Random,
  fresh: Fresh,
): PatientRecord | null {
  switch (kind) {
    case 'typo_first': {
      for (let attempt = 0; attempt < 8; attempt++) {
        const t = inLongestWord(p.first_name, (w) => typo(random, w));
        if (t && !isKnownGivenName(t)) return { ...p, first_name: cap(t) };
      }
      return null;
    }
    case 'typo_last': {
      const t = inLongestWord(p.last_name, (w) => typo(random, w));
      return t ? { ...p, last_name: t, email: fresh.email(), phone_number: fresh.phone() } : null;
    }
    case 'nickname': {
      const n = nicknameOf(random, p.first_name);
      return n ? { ...p, first_name: n, preferred_name: null, email: fresh.email() } : null;
    }
    case 'phone_format':
      return {
        ...p,
        last_name: fresh.surname(),
        email: fresh.email(),
        phone_number: reformatPhone(random, p.phone_number),
      };
    case 'email_case':
      return {
        ...p,
        last_name: fresh.surname(),
        phone_number: fresh.phone(),
        email: recase(random, p.email),
      };
  }
}
