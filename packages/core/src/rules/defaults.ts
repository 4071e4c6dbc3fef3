// Practice defaults (SPEC 4.3): an institution may opt in to default values for the demographic fields,
// to be completed later by office staff. Without opt-in a missing field is an error.

import type { DemographicField, Gender } from '../schemas/patient';
import type { DemographicDefaults } from '../schemas/practice';

export interface Demographics {
  email: string | null;
  phone_number: string | null;
  date_of_birth: string | null;
  gender: Gender | null;
}

export type DefaultsOutcome =
  | { ok: true; demographics: Demographics; defaulted: DemographicField[] }
  | { ok: false; errors: string[] };

/** The JSON name of each field as the API spells it in messages. */
const JSON_NAME: Record<DemographicField, string> = {
  email: 'email',
  phone_number: 'bio.phone_number',
  date_of_birth: 'bio.date_of_birth',
  gender: 'bio.gender',
};

const ORDER: DemographicField[] = ['email', 'phone_number', 'date_of_birth', 'gender'];

/**
 * Completes the demographics a caller gave (null or undefined = missing) from the practice's defaults.
 * Returns the completed values and the fields that were filled, or one "is required" message per field
 * that is missing and has no default.
 */
export function applyDemographicDefaults(
  given: Partial<Record<DemographicField, string | null | undefined>>,
  defaults: DemographicDefaults | null | undefined,
): DefaultsOutcome {
  const out: Record<DemographicField, string | null> = {
    email: null,
    phone_number: null,
    date_of_birth: null,
    gender: null,
  };
  const defaulted: DemographicField[] = [];
  const errors: string[] = [];
  for (const field of ORDER) {
    const value = given[field];
    if (value !== null && value !== undefined && value !== '') {
      out[field] = value;
      continue;
    }
    const fallback = defaults?.[field];
    if (fallback === undefined) {
      errors.push(`${JSON_NAME[field]} is required`);
      continue;
    }
    out[field] = fallback;
    defaulted.push(field);
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, demographics: out as unknown as Demographics, defaulted };
}

/**
 * The "is required" messages `applyDemographicDefaults` would give for a create body that is not yet valid
 * (SPEC 2: every problem in one answer): a field counts as given when it is there at all, since a malformed
 * one has its own message from the schema already. `body` is the raw `patient` object, whatever it holds.
 */
export function missingDemographics(
  body: unknown,
  defaults: DemographicDefaults | null | undefined,
): string[] {
  const patient = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const bio = patient.bio && typeof patient.bio === 'object' ? (patient.bio as Record<string, unknown>) : {};
  const given = (v: unknown) => (v === undefined || v === null || v === '' ? null : 'given');
  const outcome = applyDemographicDefaults(
    {
      email: given(patient.email),
      phone_number: given(bio.phone_number),
      date_of_birth: given(bio.date_of_birth),
      gender: given(bio.gender),
    },
    defaults,
  );
  return outcome.ok ? [] : outcome.errors;
}
