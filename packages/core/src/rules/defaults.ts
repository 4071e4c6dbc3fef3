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
