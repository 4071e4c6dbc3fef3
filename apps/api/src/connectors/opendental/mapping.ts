// Open Dental <-> our names, both ways, in one place: the shapes Open Dental answers with (validated with
// zod, extra fields tolerated), and the pure functions that turn them into HrsPatient / HrsAppointment and
// our inputs into Open Dental request bodies. No I/O here, so every rule is table-tested.
//
// Sources: opendental.com API Specification (apipatients, apiappointments, apiproviders, apiimplementation).
import { type Gender, normalizeEmail, normalizePhone } from '@patients/core';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type {
  HrsAppointment,
  HrsAppointmentInput,
  HrsBioDetails,
  HrsPatient,
  HrsPatientInput,
} from '../connector';
import type { OpenDentalLocation, OpenDentalSettings } from './settings';

// ---------------------------------------------------------------------------------------------------
// Open Dental's formats
// ---------------------------------------------------------------------------------------------------

/** Date-times are office-local wall-clock times, "yyyy-MM-dd HH:mm:ss", one-second resolution. */
export const OD_DATE_TIME = 'yyyy-MM-dd HH:mm:ss';
/** Open Dental's "no date". */
export const OD_NO_DATE = '0001-01-01';
/** Each character of an appointment's Pattern is five minutes. */
export const PATTERN_MINUTES = 5;
/** Open Dental trims patterns longer than 9 hours; we refuse them instead of booking a shorter visit. */
export const MAX_PATTERN_LENGTH = (9 * 60) / PATTERN_MINUTES;

// Open Dental's JSON is mostly well typed, but a few versions send numbers as strings and empty fields as
// null; both are accepted so one odd field never stops a sync.
const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const id = num.pipe(z.number().int().positive());
const optionalNum = num.nullish().transform((v) => v ?? 0);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

export const odPatient = z.object({
  PatNum: id,
  LName: text,
  FName: text,
  MiddleI: text,
  Preferred: text,
  PatStatus: text,
  Gender: text,
  Birthdate: text,
  HmPhone: text,
  WkPhone: text,
  WirelessPhone: text,
  Address: text,
  Address2: text,
  City: text,
  State: text,
  Zip: text,
  Email: text,
  Guarantor: optionalNum,
  ClinicNum: optionalNum,
  DateTStamp: text,
  serverDateTime: z.string().optional(),
});
export type OdPatient = z.infer<typeof odPatient>;

export const odAppointment = z.object({
  AptNum: id,
  PatNum: id,
  AptStatus: text,
  // The confirmation status, as the office names it ("Not Called", "Confirmed", "Appointment Confirmed").
  confirmed: text,
  Pattern: text,
  Op: optionalNum,
  ProvNum: optionalNum,
  provAbbr: text,
  AptDateTime: text,
  ClinicNum: optionalNum,
  Note: text,
  DateTStamp: text,
  serverDateTime: z.string().optional(),
});
export type OdAppointment = z.infer<typeof odAppointment>;

export const odProvider = z.object({
  ProvNum: id,
  Abbr: text,
  FName: text,
  LName: text,
  PreferredName: text,
  IsHidden: text,
  ProvStatus: text,
  serverDateTime: z.string().optional(),
});
export type OdProvider = z.infer<typeof odProvider>;

// ---------------------------------------------------------------------------------------------------
// Statuses and genders
// ---------------------------------------------------------------------------------------------------

/**
 * PatStatus -> our two flags. Inactive, Archived, Deceased and Deleted are not seen any more: inactive.
 * NonPatient (a guarantor or contact who is not treated) is our non_patient. Prospective is mapped to an
 * ordinary active patient, not to non_patient: Open Dental gives that status to people who booked but have
 * not been in yet (it can be automated per operatory), exactly the people online booking creates, and
 * hiding them as non-patients would hide the new patients a practice most wants to see.
 */
export function patientFlags(status: string): { inactive: boolean; non_patient: boolean } {
  switch (status) {
    case 'Inactive':
    case 'Archived':
    case 'Deceased':
    case 'Deleted':
      return { inactive: true, non_patient: false };
    case 'NonPatient':
      return { inactive: false, non_patient: true };
    default:
      // Patient, Prospective, and anything a later version adds.
      return { inactive: false, non_patient: false };
  }
}

/**
 * Gender. Open Dental's "Unknown" means the patient chose not to record it (HIPAA), so it is no value at all
 * for us (null: never evidence in the duplicate rule), rather than our "Other".
 */
export function genderFromOd(g: string): Gender | null {
  if (g === 'Male' || g === 'Female' || g === 'Other') return g;
  return null;
}

/**
 * The POST/PUT pages of the API list only "Male", "Female" and "Unknown" as values to write ("Other" is
 * readable in newer versions but not documented as writable), so our "Other" is written as "Unknown" rather
 * than risk a refused insertion; a missing gender is "Unknown" too.
 */
export function genderToOd(g: Gender | null): 'Male' | 'Female' | 'Unknown' {
  return g === 'Male' || g === 'Female' ? g : 'Unknown';
}

/**
 * AptStatus -> cancelled. Scheduled, Complete and ASAP are real visits. Broken and UnschedList are broken or
 * cancelled ones (PUT /appointments/{n}/Break makes one of these). Planned, PtNote and PtNoteCompleted are
 * not visits on the schedule at all; they count as cancelled too, so a visit that becomes one of them stops
 * showing as upcoming here. Unknown statuses are treated the same (safer than showing a phantom visit).
 */
export function isCancelledStatus(status: string): boolean {
  return !(status === 'Scheduled' || status === 'Complete' || status === 'ASAP');
}

// ---------------------------------------------------------------------------------------------------
// Small fields
// ---------------------------------------------------------------------------------------------------

const blankToNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** Birthdate: "yyyy-MM-dd" (some versions add "T00:00:00"); 0001-01-01 means none. */
export function birthDateFromOd(value: string): string | null {
  const date = value.trim().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date === OD_NO_DATE) return null;
  return DateTime.fromISO(date).isValid ? date : null;
}

const emailShape = z.email();
/** Emails are compared case-insensitively; a placeholder that is not an address ("none") is no email. */
export function emailFromOd(value: string): string | null {
  const email = normalizeEmail(value);
  return email && emailShape.safeParse(email).success ? email : null;
}

/**
 * The patient's phone: the first of WirelessPhone, HmPhone, WkPhone that is a possible number, normalised as
 * ours are (national digits for +1 numbers). Wireless first: it is the number texts and reminders reach.
 */
export function phoneFromOd(p: Pick<OdPatient, 'WirelessPhone' | 'HmPhone' | 'WkPhone'>): string | null {
  for (const raw of [p.WirelessPhone, p.HmPhone, p.WkPhone]) {
    if (raw.trim() === '') continue;
    const phone = normalizePhone(raw);
    if (phone) return phone;
  }
  return null;
}

/** Our stored phone in Open Dental's usual display form: "(516)304-2196"; other countries as E.164. */
export function phoneToOd(phone: string | null): string {
  if (!phone) return '';
  const us = /^(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return us ? `(${us[1]})${us[2]}-${us[3]}` : phone;
}

// ---------------------------------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------------------------------

/** The one configured location of a clinic (clinic_num null stands for "no clinics", i.e. 0), or null. */
export function locationOfClinic(settings: OpenDentalSettings, clinicNum: number): OpenDentalLocation | null {
  const matches = settings.locations.filter((l) => (l.clinic_num ?? 0) === clinicNum);
  // Two of our locations on one clinic: the record does not say which, so it goes to the default (null).
  return matches.length === 1 ? matches[0]! : null;
}

/** An appointment's location: by its operatory first (the finer key), else by its clinic. */
export function locationOfAppointment(
  settings: OpenDentalSettings,
  op: number,
  clinicNum: number,
): OpenDentalLocation | null {
  const byOp = settings.locations.filter((l) => l.operatory === op);
  if (byOp.length === 1) return byOp[0]!;
  return locationOfClinic(settings, clinicNum);
}

/** The office's zone when a record names none of our locations: the first configured one. */
export function defaultTimeZone(settings: OpenDentalSettings): string {
  return settings.locations[0]!.time_zone;
}

// ---------------------------------------------------------------------------------------------------
// Times
// ---------------------------------------------------------------------------------------------------

/**
 * An office-local "yyyy-MM-dd HH:mm:ss" in `zone` as ISO UTC with milliseconds. A wall-clock time that does
 * not exist (the hour skipped when clocks go forward) moves forward; one that happens twice (the hour repeated
 * when they go back) is read as the second, standard-time one, as luxon resolves it. Open Dental itself cannot
 * tell the two apart. Null when the text is not such a date-time.
 */
export function utcFromOffice(local: string, zone: string): string | null {
  const t = DateTime.fromFormat(local.trim().replace('T', ' ').slice(0, 19), OD_DATE_TIME, { zone });
  return t.isValid ? t.toUTC().toISO() : null;
}

/** An ISO instant as the office's wall-clock "yyyy-MM-dd HH:mm:ss" in `zone`. */
export function officeFromUtc(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat(OD_DATE_TIME);
}

/** An office-local date-time moved by whole seconds, as wall-clock arithmetic (no zone involved). */
export function shiftOfficeTime(local: string, seconds: number): string | null {
  const t = DateTime.fromFormat(local, OD_DATE_TIME, { zone: 'utc' });
  return t.isValid ? t.plus({ seconds }).toFormat(OD_DATE_TIME) : null;
}

/** The pattern for a visit from start to end: five-minute units, rounded up, all provider time ("X"). */
export function patternFor(startIso: string, endIso: string): string | null {
  const minutes = (Date.parse(endIso) - Date.parse(startIso)) / 60_000;
  const units = Math.max(1, Math.ceil(minutes / PATTERN_MINUTES));
  // "X" is provider time, "/" assistant (non-provider) time. We book the provider for the whole visit, as
  // our own double-booking check does, so every unit is "X".
  return units > MAX_PATTERN_LENGTH ? null : 'X'.repeat(units);
}

/** Open Dental's default pattern "/XX/" (20 minutes) stands in when an appointment has none. */
const DEFAULT_PATTERN_LENGTH = 4;

// ---------------------------------------------------------------------------------------------------
// Patients
// ---------------------------------------------------------------------------------------------------

export function patientFromOd(p: OdPatient, settings: OpenDentalSettings): HrsPatient {
  return {
    foreign_id: String(p.PatNum),
    first_name: p.FName.trim(),
    last_name: p.LName.trim(),
    middle_name: blankToNull(p.MiddleI),
    preferred_name: blankToNull(p.Preferred),
    email: emailFromOd(p.Email),
    phone_number: phoneFromOd(p),
    date_of_birth: birthDateFromOd(p.Birthdate),
    gender: genderFromOd(p.Gender),
    ...patientFlags(p.PatStatus),
    updated_at: p.DateTStamp,
    guarantor_foreign_id: p.Guarantor > 0 ? String(p.Guarantor) : null,
    location_id: locationOfClinic(settings, p.ClinicNum)?.location_id ?? null,
    // The bio details Open Dental has (SPEC 4.1); it has no single street_address, so ours is left as it is.
    cell_phone_number: phoneOrNull(p.WirelessPhone),
    home_phone_number: phoneOrNull(p.HmPhone),
    work_phone_number: phoneOrNull(p.WkPhone),
    address_line_1: blankToNull(p.Address),
    address_line_2: blankToNull(p.Address2),
    city: blankToNull(p.City),
    state: blankToNull(p.State),
    zip_code: blankToNull(p.Zip),
  };
}

/** One of Open Dental's phone fields, normalised as ours are; null when blank or not a possible number. */
function phoneOrNull(raw: string): string | null {
  return raw.trim() === '' ? null : normalizePhone(raw);
}

/**
 * The body of POST /patients. Blank optional fields are left out rather than sent as "" (on a PUT an empty
 * string would clear a field). ClinicNum is set only when every configured location is one clinic: otherwise
 * the patient's clinic is not known at insertion, and the appointment carries its own.
 */
export function patientToOd(
  p: HrsPatientInput & HrsBioDetails,
  settings: OpenDentalSettings,
): Record<string, string | number> {
  const body: Record<string, string | number> = {
    LName: p.last_name.trim(),
    FName: p.first_name.trim(),
    Gender: genderToOd(p.gender),
  };
  if (p.middle_name?.trim()) body.MiddleI = p.middle_name.trim();
  if (p.preferred_name?.trim()) body.Preferred = p.preferred_name.trim();
  if (p.date_of_birth) body.Birthdate = p.date_of_birth;
  if (p.email) body.Email = p.email;
  // Our phone_number has no kind: it goes in as the wireless phone unless a cell phone is given, then as the
  // home phone unless that is given too; the typed phones go where they belong.
  const cell = p.cell_phone_number ?? null;
  const home = p.home_phone_number ?? (cell && p.phone_number !== cell ? p.phone_number : null);
  const wireless = cell ?? p.phone_number;
  if (wireless) body.WirelessPhone = phoneToOd(wireless);
  if (home) body.HmPhone = phoneToOd(home);
  if (p.work_phone_number) body.WkPhone = phoneToOd(p.work_phone_number);
  const address: Array<[string, string | null | undefined]> = [
    ['Address', p.address_line_1 ?? p.street_address],
    ['Address2', p.address_line_2],
    ['City', p.city],
    ['State', p.state],
    ['Zip', p.zip_code],
  ];
  for (const [field, value] of address) if (value?.trim()) body[field] = value.trim();
  const clinics = new Set(settings.locations.map((l) => l.clinic_num));
  const [only] = clinics;
  if (clinics.size === 1 && only != null) body.ClinicNum = only;
  return body;
}

// ---------------------------------------------------------------------------------------------------
// Appointments
// ---------------------------------------------------------------------------------------------------

/** A provider's display name: "FName LName" (or the preferred name), else the abbreviation. */
export function providerName(p: OdProvider): string {
  const full = [p.PreferredName.trim() || p.FName.trim(), p.LName.trim()].filter(Boolean).join(' ');
  return full || p.Abbr.trim() || `Provider ${p.ProvNum}`;
}

/**
 * An Open Dental appointment in our terms. Start: AptDateTime read in the location's zone; end: start plus the
 * Pattern's length. `providerNames` (ProvNum -> display name) comes from GET /providers when the caller has
 * it; otherwise the appointment's own provAbbr names the provider.
 */
export function appointmentFromOd(
  a: OdAppointment,
  settings: OpenDentalSettings,
  providerNames: ReadonlyMap<number, string> = new Map(),
): HrsAppointment | null {
  const location = locationOfAppointment(settings, a.Op, a.ClinicNum);
  const start = utcFromOffice(a.AptDateTime, location?.time_zone ?? defaultTimeZone(settings));
  if (!start) return null;
  const units = a.Pattern.length || DEFAULT_PATTERN_LENGTH;
  const end = new Date(Date.parse(start) + units * PATTERN_MINUTES * 60_000).toISOString();
  return {
    foreign_id: String(a.AptNum),
    foreign_patient_id: String(a.PatNum),
    provider_id: null,
    provider:
      a.ProvNum > 0
        ? {
            foreign_id: String(a.ProvNum),
            name: providerNames.get(a.ProvNum) ?? (a.provAbbr.trim() || `Provider ${a.ProvNum}`),
          }
        : null,
    location_id: location?.location_id ?? null,
    start_time: start,
    end_time: end,
    cancelled: isCancelledStatus(a.AptStatus),
    confirmed: isConfirmedStatus(a.confirmed),
    note: blankToNull(a.Note),
  };
}

/**
 * The confirmation status -> confirmed (SPEC 5). Offices name their ApptConfirmed definitions themselves; the
 * default set and eConfirmations' "Confirmed" say "confirmed", and the negative ones say "not" or "un".
 */
export function isConfirmedStatus(name: string): boolean {
  const n = name.trim().toLowerCase();
  return /\bconfirmed\b/.test(n) && !/\bnot\b|\bunconfirmed\b/.test(n);
}

/** The body of POST /appointments, or the reason it cannot be booked (a ConnectorRefused message). */
export function appointmentToOd(
  a: HrsAppointmentInput,
  location: OpenDentalLocation,
): { body: Record<string, string | number> } | { refused: string } {
  const pattern = patternFor(a.start_time, a.end_time);
  if (!pattern) return { refused: 'Open Dental appointments can be at most 9 hours long' };
  const body: Record<string, string | number> = {
    PatNum: Number(a.foreign_patient_id),
    Op: location.operatory,
    AptDateTime: officeFromUtc(a.start_time, location.time_zone),
    Pattern: pattern,
  };
  if (location.clinic_num != null) body.ClinicNum = location.clinic_num;
  if (a.provider_foreign_id && /^\d+$/.test(a.provider_foreign_id))
    body.ProvNum = Number(a.provider_foreign_id);
  if (a.note?.trim()) body.Note = a.note.trim();
  return { body };
}
