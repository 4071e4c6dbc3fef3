// Which search results are "likely the same person" as a patient about to be registered, so staff see
// them before creating a record. The search is broad (any of name, birth date, email, phone), so a twin
// or a parent sharing the family phone comes back too; the ones shown are those core's duplicate rule
// calls the same person, plus near misses staff should look at: the name matches and one more detail is
// shared (a mistyped birth date, a new phone).
import { isSamePatient, NAME_MATCH_THRESHOLD, normalizeEmail, type Patient, scoreName } from '@patients/core';
import type { NewPatient } from './render/register';

function evidenceOfNew(p: NewPatient) {
  return {
    first_name: p.first_name,
    last_name: p.last_name,
    preferred_name: p.preferred_name ?? null,
    email: p.email ?? null,
    phone_number: p.phone_number ?? null,
    date_of_birth: p.date_of_birth,
    gender: p.gender,
    demographics_defaulted: [],
  };
}

function evidenceOf(p: Patient) {
  return {
    first_name: p.first_name,
    last_name: p.last_name,
    preferred_name: p.preferred_name,
    email: p.email,
    phone_number: p.bio.phone_number,
    date_of_birth: p.bio.date_of_birth,
    gender: p.bio.gender,
    demographics_defaulted: p.demographics_defaulted,
  };
}

function nameScore(entered: NewPatient, p: Patient): number {
  const queries = [`${entered.first_name} ${entered.last_name}`];
  if (entered.preferred_name) queries.push(`${entered.preferred_name} ${entered.last_name}`);
  return Math.max(...queries.map((q) => scoreName(q, p).score));
}

function sharesDetail(entered: NewPatient, p: Patient): boolean {
  const real = (field: Patient['demographics_defaulted'][number]) =>
    !p.demographics_defaulted.includes(field);
  return (
    (real('date_of_birth') && p.bio.date_of_birth === entered.date_of_birth) ||
    (real('email') && !!entered.email && !!p.email && normalizeEmail(p.email) === entered.email) ||
    (real('phone_number') && !!entered.phone_number && p.bio.phone_number === entered.phone_number)
  );
}

/** The likely matches among `candidates`, the same person by the duplicate rule first, then by name score. */
export function likelyMatches(entered: NewPatient, candidates: readonly Patient[]): Patient[] {
  const ranked: Array<{ p: Patient; same: boolean; score: number }> = [];
  for (const p of candidates) {
    const same = isSamePatient(evidenceOfNew(entered), evidenceOf(p));
    const score = nameScore(entered, p);
    if (same || (score >= NAME_MATCH_THRESHOLD && sharesDetail(entered, p))) ranked.push({ p, same, score });
  }
  ranked.sort((a, b) => Number(b.same) - Number(a.same) || b.score - a.score || a.p.id - b.p.id);
  return ranked.map((r) => r.p);
}
