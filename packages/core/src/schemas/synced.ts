// A patient record pulled from the health record system by a sync (SPEC 7). That system is the record
// of truth, so a value our contract cannot hold (an email that is not one, a phone that is not a number, a
// birth date in the future) is dropped rather than the whole record refused: the patient must still be
// findable. Only a record without a name is refused, since nothing could find or show it.
import { z } from 'zod';
import { checkDateOfBirth, normalizeEmail, normalizePhone } from '../rules/normalize';
import { gender } from './patient';

const text = (max: number) =>
  z
    .string()
    .nullish()
    .transform((s) => {
      const t = s?.trim();
      return t ? t.slice(0, max) : null;
    });

/** Keeps a value only when it is valid in our contract; otherwise null. */
const keepIfValid = <T>(check: (s: string) => T | null) =>
  z
    .string()
    .nullish()
    .transform((s) => (s?.trim() ? check(s.trim()) : null));

/**
 * A bio detail (SPEC 4.1) a connector may or may not carry: absent (undefined) when the system has no such
 * field, so sync leaves ours as it is; otherwise kept when valid, else null.
 */
const carried = (check: (s: string) => string | null) =>
  z
    .string()
    .nullish()
    .transform((s) => (s === undefined ? undefined : s?.trim() ? check(s.trim()) : null));
const carriedText = (max: number) => carried((s) => s.slice(0, max));
const carriedPhone = carried((s) => normalizePhone(s));

export const syncedPatientRecord = z.object({
  foreign_id: z.string().trim().min(1).max(64),
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().min(1).max(100),
  middle_name: text(100),
  preferred_name: text(100),
  email: keepIfValid((s) => (s.length <= 254 && z.email().safeParse(s).success ? normalizeEmail(s) : null)),
  phone_number: keepIfValid((s) => normalizePhone(s)),
  date_of_birth: keepIfValid((s) => (checkDateOfBirth(s) ? null : s)),
  gender: z
    .string()
    .nullish()
    .transform((s) => (gender.safeParse(s).success ? (s as z.infer<typeof gender>) : null)),
  inactive: z.boolean(),
  non_patient: z.boolean(),
  guarantor_foreign_id: z.string().max(64).nullish().default(null),
  cell_phone_number: carriedPhone,
  home_phone_number: carriedPhone,
  work_phone_number: carriedPhone,
  street_address: carriedText(200),
  address_line_1: carriedText(200),
  address_line_2: carriedText(200),
  city: carriedText(100),
  state: carriedText(50),
  zip_code: carriedText(20),
});
export type SyncedPatientRecord = z.output<typeof syncedPatientRecord>;

export const syncedAppointmentRecord = z
  .object({
    foreign_id: z.string().trim().min(1).max(64),
    foreign_patient_id: z.string().trim().min(1).max(64),
    start_time: z.iso.datetime(),
    end_time: z.iso.datetime(),
    cancelled: z.boolean(),
    /** The system's confirmation (SPEC 5); absent when the connector cannot tell. */
    confirmed: z.boolean().optional(),
    note: text(128),
  })
  .refine((a) => Date.parse(a.end_time) > Date.parse(a.start_time), {
    message: 'end_time must be after start_time',
  });
export type SyncedAppointmentRecord = z.output<typeof syncedAppointmentRecord>;
