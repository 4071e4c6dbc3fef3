// The patient object (SPEC 4.1) and the inputs that create, edit and search patients (SPEC 4.2-4.5).
import { z } from 'zod';
import { checkDateOfBirth, normalizeEmail, normalizePhone } from '../rules/normalize';
import {
  calendarDate,
  dateOrDateTime,
  id,
  idempotencyKey,
  idInput,
  isoDateTime,
  subdomain,
  timestamps,
} from './common';

export const GENDERS = ['Male', 'Female', 'Other'] as const;
export const gender = z.enum(GENDERS);
export type Gender = z.infer<typeof gender>;

/** Fields a practice may fill from its defaults (SPEC 4.3), as listed in `demographics_defaulted`. */
export const DEMOGRAPHIC_FIELDS = ['email', 'phone_number', 'date_of_birth', 'gender'] as const;
export const demographicField = z.enum(DEMOGRAPHIC_FIELDS);
export type DemographicField = z.infer<typeof demographicField>;

// ---------------------------------------------------------------------------------------------------
// Output: the patient object
// ---------------------------------------------------------------------------------------------------

export const upcomingAppointment = z.object({
  id,
  provider_id: id,
  provider_name: z.string(),
  start_time: isoDateTime,
  end_time: isoDateTime,
  location_id: id,
  confirmed: z.boolean(),
});
export type UpcomingAppointment = z.infer<typeof upcomingAppointment>;

/** NexHealth's bio object (SPEC 4.1): every field always present, null when unknown. */
export const bio = z.object({
  phone_number: z.string().nullable(),
  cell_phone_number: z.string().nullable(),
  home_phone_number: z.string().nullable(),
  work_phone_number: z.string().nullable(),
  date_of_birth: z.string().nullable().describe('YYYY-MM-DD'),
  gender: gender.nullable(),
  street_address: z.string().nullable(),
  address_line_1: z.string().nullable(),
  address_line_2: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  zip_code: z.string().nullable(),
  new_patient: z.boolean().describe('as the top-level new_patient'),
  non_patient: z.boolean().describe('as the top-level non_patient'),
});

export const patientMatch = z.object({
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type PatientMatch = z.infer<typeof patientMatch>;

export const patient = z
  .object({
    id,
    email: z.string().nullable(),
    first_name: z.string(),
    middle_name: z.string().nullable(),
    last_name: z.string(),
    name: z.string().describe('first_name + " " + last_name'),
    preferred_name: z.string().nullable(),
    ...timestamps,
    institution_id: id,
    location_ids: z.array(id),
    foreign_id: z.string().nullable(),
    foreign_id_type: z.string().describe('"nex" until the patient is inserted into the health record system'),
    bio,
    inactive: z.boolean(),
    non_patient: z.boolean(),
    new_patient: z.boolean().describe('true exactly while foreign_id_type is "nex"'),
    last_sync_time: isoDateTime.nullable(),
    guarantor_id: id.nullable(),
    provider_id: id.nullable(),
    unsubscribe_sms: z.boolean(),
    demographics_defaulted: z.array(demographicField),
    upcoming_appts: z.array(upcomingAppointment),
    procedures: z.array(z.record(z.string(), z.unknown())),
    insurance_coverages: z.array(z.record(z.string(), z.unknown())),
    match: patientMatch.optional(),
  })
  .meta({ id: 'Patient' });
export type Patient = z.infer<typeof patient>;

// ---------------------------------------------------------------------------------------------------
// Input fields, shared by create and edit
// ---------------------------------------------------------------------------------------------------

const personName = z.string().trim().min(1).max(100);

export const emailInput = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((s) => normalizeEmail(s));

export const phoneInput = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const phone = normalizePhone(s);
    if (phone === null) {
      ctx.issues.push({ code: 'custom', message: 'must be a valid phone number', input: s });
      return z.NEVER;
    }
    return phone;
  });

const DOB_PROBLEMS = {
  malformed: 'must be a real date in the form YYYY-MM-DD',
  future: 'must not be in the future',
  too_old: 'must not be more than 130 years ago',
} as const;

export const dateOfBirthInput = z.string().superRefine((s, ctx) => {
  const problem = checkDateOfBirth(s);
  if (problem) ctx.addIssue({ code: 'custom', message: DOB_PROBLEMS[problem] });
});

/** An optional text field: an empty one is no value (NexHealth's own objects send "" for unknown fields). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s === '' ? null : s));

/** An optional phone: "" is no phone (as above), anything else must be one. */
const optionalPhone = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
  phoneInput.nullish(),
);

/** `bio` as callers send it. Every field optional here: which ones are required is SPEC 4.3's rule (defaults.ts). */
export const bioInput = z
  .object({
    phone_number: phoneInput.nullish(),
    cell_phone_number: optionalPhone,
    home_phone_number: optionalPhone,
    work_phone_number: optionalPhone,
    date_of_birth: dateOfBirthInput.nullish(),
    gender: gender.nullish(),
    street_address: optionalText(200),
    address_line_1: optionalText(200),
    address_line_2: optionalText(200),
    city: optionalText(100),
    state: optionalText(50),
    zip_code: optionalText(20),
    // Read-only (SPEC 4.1): accepted only when they agree with the record, so NexHealth clients that send
    // the bio object back as they got it are not refused.
    new_patient: z.boolean().optional(),
    non_patient: z.boolean().optional(),
  })
  .strict();

/** The bio fields that are read-only: what the record says, never written from a request. */
export const READ_ONLY_BIO_FIELDS = ['new_patient', 'non_patient'] as const;

/** Stored bio fields besides the four demographics: optional everywhere, null when not given. */
export const BIO_DETAIL_FIELDS = [
  'cell_phone_number',
  'home_phone_number',
  'work_phone_number',
  'street_address',
  'address_line_1',
  'address_line_2',
  'city',
  'state',
  'zip_code',
] as const;
export type BioDetailField = (typeof BIO_DETAIL_FIELDS)[number];

/** Every phone field of a patient: search by phone matches any of them (SPEC 4.1). */
export const PHONE_FIELDS = [
  'phone_number',
  'cell_phone_number',
  'home_phone_number',
  'work_phone_number',
] as const;

/** The detail fields of a parsed bio, each null when not given: what a create stores. */
export function bioDetails(given: Partial<Record<BioDetailField, string | null>> | undefined) {
  return Object.fromEntries(BIO_DETAIL_FIELDS.map((f) => [f, given?.[f] ?? null])) as Record<
    BioDetailField,
    string | null
  >;
}

/** The patient fields of a create body. A missing `bio` counts as an empty one so each field in it is reported. */
export const patientFieldsInput = z
  .object({
    first_name: personName,
    last_name: personName,
    middle_name: personName.nullish(),
    preferred_name: personName.nullish(),
    email: emailInput.nullish(),
    bio: bioInput.prefault({}),
  })
  .strict();
export type PatientFieldsInput = z.infer<typeof patientFieldsInput>;

/** A patient's own fields as a create gives them, bio's flattened: the columns a patient is written with. */
export type PatientInputField =
  | Exclude<keyof typeof patientFieldsInput.shape, 'bio'>
  | Exclude<keyof typeof bioInput.shape, (typeof READ_ONLY_BIO_FIELDS)[number]>;
export const PATIENT_INPUT_FIELDS: readonly PatientInputField[] = [
  ...(Object.keys(patientFieldsInput.shape).filter((k) => k !== 'bio') as PatientInputField[]),
  ...(Object.keys(bioInput.shape).filter(
    (k) => !(READ_ONLY_BIO_FIELDS as readonly string[]).includes(k),
  ) as PatientInputField[]),
];

// ---------------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------------

/** POST /patients and patients.create (SPEC 4.3). */
export const createPatientInput = z.object({
  subdomain,
  location_id: id,
  provider: z.object({ provider_id: idInput }).strict().optional(),
  patient: patientFieldsInput,
  return_existing_if_match: z.boolean().default(false),
  /** The Idempotency-Key header's value, for a client that cannot set headers (tRPC); SPEC 4.3. */
  idempotency_key: idempotencyKey.optional(),
});
export type CreatePatientInput = z.infer<typeof createPatientInput>;

export const createPatientOutput = z.object({
  user: patient,
  created: z.boolean().describe('false when return_existing_if_match returned an existing patient'),
});
export type CreatePatientOutput = z.infer<typeof createPatientOutput>;

/** GET /patients/:id and patients.get (SPEC 4.4). */
/**
 * NexHealth's `include[]` (SPEC 4.2): accepted so its clients work unchanged; the three arrays it names are
 * in every patient whether or not it is given.
 */
export const includeInput = z
  .array(z.enum(['upcoming_appts', 'procedures', 'insurance_coverages']))
  .optional()
  .describe('accepted as NexHealth; the arrays are always present');

export const getPatientInput = z.object({ subdomain, id, include: includeInput });
export type GetPatientInput = z.infer<typeof getPatientInput>;

/** PATCH /patients/:id and patients.update (SPEC 4.5): any subset of the create fields, plus two flags. */
export const patientEditInput = z
  .object({
    first_name: personName.optional(),
    last_name: personName.optional(),
    middle_name: personName.nullish(),
    preferred_name: personName.nullish(),
    email: emailInput.nullish(),
    bio: bioInput.optional(),
    inactive: z.boolean().optional(),
    unsubscribe_sms: z.boolean().optional(),
  })
  .strict();
export type PatientEditInput = z.infer<typeof patientEditInput>;

export const updatePatientInput = z.object({
  subdomain,
  id,
  patient: patientEditInput,
});
export type UpdatePatientInput = z.infer<typeof updatePatientInput>;

export const PATIENT_SORTS = ['id', 'name', 'created_at', 'updated_at'] as const;
export const patientSort = z.enum([...PATIENT_SORTS, ...PATIENT_SORTS.map((s) => `-${s}` as const)]);
export type PatientSort = z.infer<typeof patientSort>;

/** GET /patients and patients.search (SPEC 4.2). Match parameters are OR-ed, filters AND-ed. */
export const searchPatientsInput = z.object({
  subdomain,
  location_id: id,
  include: includeInput,
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'one search box: a name, email, phone and date of birth in any order ("john smith 05/03/1964"), each part matched as the parameter it looks like, ANDed; not with the other match parameters',
    ),
  name: z.string().trim().min(1).max(200).optional(),
  email: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .transform((s) => normalizeEmail(s))
    .optional(),
  phone_number: phoneInput.optional(),
  date_of_birth: calendarDate.optional(),
  foreign_id: z.string().trim().min(1).max(64).optional(),
  foreign_id_type: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'with foreign_id: which system the id is of ("nex" for this service\'s own, or the data source)',
    ),
  inactive: z.boolean().optional(),
  non_patient: z.boolean().optional(),
  new_patient: z.boolean().optional(),
  location_strict: z.boolean().optional(),
  updated_since: dateOrDateTime.optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  per_page: z.number().int().min(1).max(1000).default(5),
  sort: patientSort.optional(),
});
export type SearchPatientsInput = z.infer<typeof searchPatientsInput>;

export const searchPatientsOutput = z.object({
  patients: z.array(patient),
  count: z.number().int().min(0).describe('total matches, not just this page'),
});
export type SearchPatientsOutput = z.infer<typeof searchPatientsOutput>;

/**
 * The read-only bio flags of a request that disagree with the record (SPEC 4.1): a NexHealth client may send
 * the bio object back as it got it, so agreeing values are accepted; a change is refused, naming the field.
 */
export function readOnlyBioProblems(
  bio: { new_patient?: boolean | undefined; non_patient?: boolean | undefined } | undefined,
  record: { new_patient: boolean; non_patient: boolean },
): string[] {
  return READ_ONLY_BIO_FIELDS.filter((f) => bio?.[f] !== undefined && bio[f] !== record[f]).map(
    (f) => `bio.${f} is read-only (it is ${record[f]} for this patient)`,
  );
}
