// The duplicate rule (SPEC 4.3): when a new or edited patient is the same person as an existing record.
import type { DemographicField } from '../schemas/patient';
import { givenNamesCompatibleForDuplicates, surnamesCompatible } from './names';
import { nicknameHops } from './nicknames';
import { foldName, normalizeEmail, normalizePhone } from './normalize';

export type { DemographicField } from '../schemas/patient';

/** What the duplicate rule looks at in a record (stored values, as in the patient object). */
export interface DuplicateEvidence {
  first_name: string;
  last_name: string;
  preferred_name?: string | null;
  email: string | null;
  phone_number: string | null;
  date_of_birth: string | null;
  gender: string | null;
  /** Fields filled from the practice's defaults: never evidence. */
  demographics_defaulted: readonly DemographicField[];
}

/** The fields the rule reads, in one list: whatever copies or stores evidence goes by it. */
export const DUPLICATE_EVIDENCE_FIELDS = [
  'first_name',
  'last_name',
  'preferred_name',
  'email',
  'phone_number',
  'date_of_birth',
  'gender',
  'demographics_defaulted',
] as const satisfies ReadonlyArray<keyof DuplicateEvidence>;

/**
 * The rule's evidence from any record that has its fields (a new patient, a stored row, a health record
 * system's record): the one place it is built. A missing preferred name is null, missing defaults none.
 */
export function duplicateEvidenceOf(
  row: Omit<DuplicateEvidence, 'demographics_defaulted' | 'preferred_name'> & {
    preferred_name?: string | null;
    demographics_defaulted?: readonly string[] | null;
  },
): DuplicateEvidence {
  return {
    first_name: row.first_name,
    last_name: row.last_name,
    preferred_name: row.preferred_name ?? null,
    email: row.email,
    phone_number: row.phone_number,
    date_of_birth: row.date_of_birth,
    gender: row.gender,
    demographics_defaulted: (row.demographics_defaulted ?? []) as readonly DemographicField[],
  };
}

const NON_DIGITS = /\D/g;
// Stored US phones are already 10 national digits; parsing them again would give the same digits.
const NORMALISED_US_PHONE = /^[2-9]\d{2}[2-9]\d{6}$/;

/** A phone as compared: normalised, or (for a stored value that no longer parses) its digits. */
export function phoneKey(phone: string | null): string | null {
  if (phone == null || phone.trim() === '') return null;
  if (NORMALISED_US_PHONE.test(phone)) return phone;
  const normalised = normalizePhone(phone);
  if (normalised) return normalised;
  const digits = phone.replace(NON_DIGITS, '');
  return digits.length >= 7 ? digits : null;
}

export function emailKey(email: string | null): string | null {
  if (email == null) return null;
  const key = normalizeEmail(email);
  return key === '' ? null : key;
}

function defaulted(a: DuplicateEvidence, b: DuplicateEvidence, field: DemographicField): boolean {
  return a.demographics_defaulted.includes(field) || b.demographics_defaulted.includes(field);
}

/** The given names a record answers to: its first name and, when set, its preferred name. */
function givenNames(r: DuplicateEvidence): string[] {
  const p = r.preferred_name?.trim();
  return p ? [r.first_name, p] : [r.first_name];
}

/**
 * SPEC 4.3: a and b are the same person when they have the same date of birth, compatible given names
 * (equal, one-hop nickname either way, or a typo that is not another known name; a preferred name counts
 * as a given name), and at least one of: compatible last names, the same email, the same phone.
 * Never when the birth dates differ or either was defaulted, nor when both genders are real and differ.
 * A field defaulted in either record is never evidence; a missing (null) field is never equal to anything.
 */
export function isSamePatient(a: DuplicateEvidence, b: DuplicateEvidence): boolean {
  return samePatient(a, b, undefined);
}

/** isSamePatient with a's phone key already computed (undefined: compute it when needed). */
function samePatient(a: DuplicateEvidence, b: DuplicateEvidence, aPhone: string | null | undefined): boolean {
  if (a.date_of_birth == null || b.date_of_birth == null) return false;
  if (defaulted(a, b, 'date_of_birth')) return false;
  if (a.date_of_birth.trim() !== b.date_of_birth.trim()) return false;

  if (a.gender != null && b.gender != null && !defaulted(a, b, 'gender')) {
    if (a.gender.trim().toLowerCase() !== b.gender.trim().toLowerCase()) return false;
  }

  let sameGiven = false;
  for (const ga of givenNames(a)) {
    for (const gb of givenNames(b)) {
      if (givenNamesCompatibleForDuplicates(ga, gb)) {
        sameGiven = true;
        break;
      }
    }
    if (sameGiven) break;
  }
  if (!sameGiven) return false;

  return surnamesCompatible(a.last_name, b.last_name) || sameEmail(a, b) || samePhone(a, b, aPhone);
}

/** The same email, as evidence (neither record's email is a practice default). */
function sameEmail(a: DuplicateEvidence, b: DuplicateEvidence): boolean {
  if (defaulted(a, b, 'email')) return false;
  const ea = emailKey(a.email);
  return ea !== null && ea === emailKey(b.email);
}

/** The same phone, as evidence; `aPhone` is a's phone key when already computed. */
function samePhone(a: DuplicateEvidence, b: DuplicateEvidence, aPhone?: string | null): boolean {
  if (defaulted(a, b, 'phone_number')) return false;
  const pa = aPhone === undefined ? phoneKey(a.phone_number) : aPhone;
  return pa !== null && pa === phoneKey(b.phone_number);
}

/**
 * Why `a` and `b` are the same patient (SPEC 4.3's explained refusal), in the rule's own terms: the date of
 * birth, how the given names relate ("nickname: Bob ~ Robert", "typo in first name", "first name"), and the
 * evidence that holds ("last name", "email", "phone"). Null when the rule does not call them the same.
 */
const relationRank = (r: string) =>
  r === 'first name' ? 0 : r === 'preferred name' ? 1 : r.startsWith('nickname') ? 2 : 3;

export function duplicateReasons(a: DuplicateEvidence, b: DuplicateEvidence): string[] | null {
  if (!isSamePatient(a, b)) return null;
  const reasons = ['date of birth'];
  let given: string | undefined;
  const [firstA, ...preferredA] = givenNames(a);
  const [firstB, ...preferredB] = givenNames(b);
  for (const ga of [firstA!, ...preferredA]) {
    for (const gb of [firstB!, ...preferredB]) {
      if (!givenNamesCompatibleForDuplicates(ga, gb)) continue;
      const fa = foldName(ga);
      const fb = foldName(gb);
      const preferred = ga !== firstA || gb !== firstB;
      const relation =
        fa === fb || fa.replace(/ /g, '') === fb.replace(/ /g, '')
          ? preferred
            ? 'preferred name'
            : 'first name'
          : nicknameHops(fa, fb) === 1
            ? `nickname: ${ga.trim()} ~ ${gb.trim()}`
            : 'typo in first name';
      // The plainest relation wins: the same name (first, then preferred) over a nickname over a typo.
      if (!given || relationRank(relation) < relationRank(given)) given = relation;
    }
  }
  reasons.push(given ?? 'first name');
  if (surnamesCompatible(a.last_name, b.last_name)) reasons.push('last name');
  if (sameEmail(a, b)) reasons.push('email');
  if (samePhone(a, b)) reasons.push('phone');
  return reasons;
}

/** The existing records that are the same person as `candidate` (SPEC 4.3), in their given order. */
export function findDuplicates<T extends DuplicateEvidence>(
  candidate: DuplicateEvidence,
  existing: readonly T[],
): T[] {
  // Normalise the candidate's phone once rather than once per record.
  const phone = phoneKey(candidate.phone_number);
  return existing.filter((record) => samePatient(candidate, record, phone));
}
