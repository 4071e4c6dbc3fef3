// Seeded generator of realistic patients (library: generatePatients; CLI: writes CSV or JSONL).
//
//   npm run -s generate -w @patients/bench -- --count 1000000 --out /tmp/p.csv [--seed 42] [--format jsonl]
//
// People come in households: singles, couples and families. Family members share the household phone
// (adults sometimes have their own) and often a family email, with different dates of birth; some families
// have twins (same date of birth, surname and phone, different first names, some one letter apart such as
// Robert / Roberta). Given names and surnames follow real frequencies (nameData.ts), with accents, particles
// ("de la Cruz"), hyphenated double surnames and a long synthetic tail. Some patients have a preferred name:
// a nickname of their first name from the shipped nickname table. Every phone is a possible US number
// (area code and exchange 2xx-9xx) and every date of birth lies between 0 and 95 years before REFERENCE_DATE.
import { pathToFileURL } from 'node:url';
import { foldName, nicknamesOf } from '@patients/core';
import { writePatients } from './files';
import {
  EMAIL_DOMAINS,
  FEMALE_GIVEN,
  HYPHEN_PARTS,
  MALE_GIVEN,
  MULTI_WORD_SURNAMES,
  SURNAME_HEAD,
  TAIL_ORIGINS,
  TWIN_PAIRS,
} from './nameData';
import { mulberry32, type Random, WeightedTable } from './random';

export type Gender = 'Male' | 'Female' | 'Other';

/** One patient as the CSV has it (the columns of the bulk import). */
export interface PatientRecord {
  first_name: string;
  last_name: string;
  middle_name: string | null;
  preferred_name: string | null;
  email: string;
  phone_number: string;
  date_of_birth: string;
  gender: Gender;
}

export type HouseholdRole = 'single' | 'adult' | 'child' | 'twin';

/** A generated patient: the record plus what the generator knows about it (not written to files). */
export interface GeneratedPatient extends PatientRecord {
  household: number;
  role: HouseholdRole;
}

export const CSV_COLUMNS = [
  'first_name',
  'last_name',
  'middle_name',
  'preferred_name',
  'email',
  'phone_number',
  'date_of_birth',
  'gender',
] as const satisfies readonly (keyof PatientRecord)[];

/** Bumped whenever the output for a seed changes, so cached files and databases are made again. */
export const GENERATOR_VERSION = 1;

/** Dates of birth are drawn relative to this day, so output does not depend on when it runs. */
export const REFERENCE_DATE = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

const maleNames = new WeightedTable(MALE_GIVEN);
const femaleNames = new WeightedTable(FEMALE_GIVEN);
const headSurnames = new WeightedTable(SURNAME_HEAD);
const multiWordSurnames = new WeightedTable(MULTI_WORD_SURNAMES);
const emailDomains = new WeightedTable(EMAIL_DOMAINS);

function givenName(random: Random, gender: Gender): string {
  if (gender === 'Other') return random.chance(0.5) ? maleNames.draw(random) : femaleNames.draw(random);
  return gender === 'Male' ? maleNames.draw(random) : femaleNames.draw(random);
}

/** Skewed towards the start of the list, so synthetic surnames have a Zipf-like spread too. */
function skewedPick<T>(random: Random, items: readonly T[]): T {
  const r = random.next();
  return items[Math.floor(r * r * items.length)]!;
}

function surname(random: Random): string {
  const r = random.next();
  if (r < 0.55) return headSurnames.draw(random);
  if (r < 0.93) {
    const origin = random.pick(TAIL_ORIGINS);
    return skewedPick(random, origin.roots) + skewedPick(random, origin.endings);
  }
  if (r < 0.96) return multiWordSurnames.draw(random);
  const a = random.pick(HYPHEN_PARTS);
  let b = random.pick(HYPHEN_PARTS);
  while (foldName(b) === foldName(a)) b = random.pick(HYPHEN_PARTS);
  return `${a}-${b}`;
}

function capitalize(folded: string): string {
  return folded.replace(/(^|[\s-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/** A nickname of the first name (one hop in the table, shorter than it), or null when it has none. */
function preferredNameFor(random: Random, first: string): string | null {
  const folded = foldName(first);
  const nicks = [...nicknamesOf(folded, 1)].filter((n) => n.length < folded.length && !n.includes(' '));
  if (!nicks.length) return null;
  return capitalize(random.pick(nicks.sort()));
}

function phone(random: Random): string {
  return `${random.int(201, 989)}${random.int(200, 999)}${String(random.int(0, 9999)).padStart(4, '0')}`;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A date of birth `age` years (plus a random part of a year) before the reference date. */
function birthDate(random: Random, age: number): string {
  return isoDay(REFERENCE_DATE - Math.floor((age + random.next()) * 365.25 * DAY) - DAY);
}

function adultAge(random: Random): number {
  // Roughly the adult age pyramid of a practice: most between 25 and 70, a tail to 95.
  const r = random.next();
  if (r < 0.8) return random.int(25, 69);
  if (r < 0.9) return random.int(18, 24);
  return random.int(70, 95);
}

function emailLocal(random: Random, first: string, last: string, birthYear: string): string {
  const f = foldName(first).replace(/ /g, '');
  const l = foldName(last).replace(/ /g, '');
  const pattern = random.int(0, 5);
  const base = [
    `${f}.${l}`,
    `${f}${l}`,
    `${f[0]}${l}`,
    `${f}_${l}`,
    `${l}.${f}`,
    `${f}${birthYear.slice(2)}`,
  ][pattern]!;
  return random.chance(0.6) ? `${base}${random.int(1, 999)}` : base;
}

function email(random: Random, first: string, last: string, dob: string): string {
  return `${emailLocal(random, first, last, dob.slice(0, 4))}@${emailDomains.draw(random)}`;
}

function drawGender(random: Random): Gender {
  const r = random.next();
  return r < 0.005 ? 'Other' : r < 0.5 ? 'Male' : 'Female';
}

interface Person {
  first: string;
  gender: Gender;
  dob: string;
  role: HouseholdRole;
  ownPhone: boolean;
}

function person(
  random: Random,
  household: number,
  p: Person,
  last: string,
  shared: Shared,
): GeneratedPatient {
  const middle = random.chance(0.35)
    ? random.chance(0.25)
      ? givenName(random, p.gender).charAt(0)
      : givenName(random, p.gender)
    : null;
  const age = (REFERENCE_DATE - Date.parse(p.dob)) / (365.25 * DAY);
  const useFamilyEmail = shared.email !== null && (p.role !== 'adult' || random.chance(0.5));
  return {
    first_name: p.first,
    last_name: last,
    middle_name: middle === p.first ? null : middle,
    preferred_name: random.chance(0.1) ? preferredNameFor(random, p.first) : null,
    email: useFamilyEmail || (age < 13 && shared.email) ? shared.email! : email(random, p.first, last, p.dob),
    phone_number: p.ownPhone ? phone(random) : shared.phone,
    date_of_birth: p.dob,
    gender: p.gender,
    household,
    role: p.role,
  };
}

interface Shared {
  phone: string;
  email: string | null;
}

/** The members of one household, in a fixed order. */
function household(random: Random, id: number): GeneratedPatient[] {
  const last = surname(random);
  const r = random.next();
  const shared: Shared = { phone: phone(random), email: null };
  if (r < 0.55) {
    const gender = drawGender(random);
    const p = { first: givenName(random, gender), gender, dob: birthDate(random, adultAge(random)) };
    return [person(random, id, { ...p, role: 'single', ownPhone: false }, last, shared)];
  }

  const adults: Person[] = [];
  const firstGender = drawGender(random);
  const firstAge = random.int(24, 70);
  adults.push({
    first: givenName(random, firstGender),
    gender: firstGender,
    dob: birthDate(random, firstAge),
    role: 'adult',
    ownPhone: false,
  });
  if (random.chance(0.75)) {
    const gender: Gender = firstGender === 'Male' ? 'Female' : 'Male';
    adults.push({
      first: givenName(random, gender),
      gender,
      dob: birthDate(random, Math.max(20, firstAge + random.int(-6, 6))),
      role: 'adult',
      ownPhone: random.chance(0.4),
    });
  }
  const familyEmailOwner = adults[0]!;
  if (random.chance(0.5)) shared.email = email(random, familyEmailOwner.first, last, familyEmailOwner.dob);

  const children: Person[] = [];
  if (r >= 0.7) {
    const parentAge = firstAge;
    const count = random.int(1, 4);
    for (let i = 0; i < count; i++) {
      const age = Math.max(0, parentAge - random.int(20, 42));
      const gender = drawGender(random);
      children.push({
        first: givenName(random, gender),
        gender,
        dob: birthDate(random, age),
        role: 'child',
        ownPhone: age >= 16 && random.chance(0.5),
      });
    }
    if (random.chance(0.1)) {
      const dob = birthDate(random, Math.max(0, parentAge - random.int(22, 40)));
      let a: Person;
      let b: Person;
      if (random.chance(0.4)) {
        const [na, ga, nb, gb] = random.pick(TWIN_PAIRS);
        a = { first: na, gender: ga, dob, role: 'twin', ownPhone: false };
        b = { first: nb, gender: gb, dob, role: 'twin', ownPhone: false };
      } else {
        const ga = drawGender(random);
        const gb = random.chance(0.5) ? ga : drawGender(random);
        const na = givenName(random, ga);
        let nb = givenName(random, gb);
        // Parents give twins two different names, never two forms of one name.
        while (foldName(nb) === foldName(na) || nicknamesOf(na, 2).has(foldName(nb)))
          nb = givenName(random, gb);
        a = { first: na, gender: ga, dob, role: 'twin', ownPhone: false };
        b = { first: nb, gender: gb, dob, role: 'twin', ownPhone: false };
      }
      children.push(a, b);
    }
  }
  // A spouse keeps their own surname in some couples.
  return [...adults, ...children].map((p, i) => {
    const own = i === 1 && p.role === 'adult' && random.chance(0.25) ? surname(random) : last;
    return person(random, id, p, own, shared);
  });
}

/** `n` patients, the same ones for the same seed. Households are kept whole except possibly the last. */
export function* generatePatients(n: number, seed = 42): Generator<GeneratedPatient> {
  const random = mulberry32(seed);
  let produced = 0;
  for (let id = 1; produced < n; id++) {
    for (const p of household(random, id)) {
      if (produced >= n) return;
      produced++;
      yield p;
    }
  }
}

/** Just the record, without the generator's annotations. */
export function toRecord(p: PatientRecord): PatientRecord {
  return {
    first_name: p.first_name,
    last_name: p.last_name,
    middle_name: p.middle_name,
    preferred_name: p.preferred_name,
    email: p.email,
    phone_number: p.phone_number,
    date_of_birth: p.date_of_birth,
    gender: p.gender,
  };
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const count = Number(arg(args, 'count') ?? '1000');
  const out = arg(args, 'out');
  const seed = Number(arg(args, 'seed') ?? '42');
  if (!out || !Number.isInteger(count) || count < 0) {
    console.error('usage: generate --count N --out FILE.csv|FILE.jsonl [--seed S] [--format csv|jsonl]');
    process.exit(2);
  }
  const format = (arg(args, 'format') ?? (out.endsWith('.jsonl') ? 'jsonl' : 'csv')) as 'csv' | 'jsonl';
  const started = performance.now();
  await writePatients(out, generatePatients(count, seed), format);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(JSON.stringify({ out, count, seed, format, seconds: Number(seconds) }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
