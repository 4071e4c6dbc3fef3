// The health record system connector (SPEC 7): what the service needs from a practice management system.
import type { DuplicateEvidence, Gender } from '@patients/core';
import type { Knex } from 'knex';

/** The fields a connector writes when it inserts a patient, in our names. */
export interface HrsPatientInput {
  first_name: string;
  last_name: string;
  middle_name: string | null;
  preferred_name: string | null;
  email: string | null;
  phone_number: string | null;
  date_of_birth: string | null;
  gender: Gender | null;
}

/** A patient as the health record system holds it, mapped to our field names. */
export interface HrsPatient extends HrsPatientInput {
  foreign_id: string;
  inactive: boolean;
  non_patient: boolean;
  updated_at: string;
}

export interface HrsAppointmentInput {
  foreign_patient_id: string;
  provider_id: number;
  location_id: number;
  start_time: string;
  end_time: string;
  note: string | null;
}

/** Work a connector does inside the caller's unit of work (the embedded system writes through `trx`). */
export interface ConnectorScope {
  trx: Knex.Transaction;
  institutionId: number;
}

export interface HealthRecordConnector {
  /** Written to foreign_id_type of inserted patients, e.g. "OpenDental". Never "nex". */
  readonly dataSource: string;
  /** True when lookups answer at once, so create can check the system itself for duplicates (SPEC 4.3). */
  readonly answersAtOnce: boolean;
  /** Patients with this date of birth: the duplicate rule's index field. */
  findByBirthDate(scope: ConnectorScope, evidence: DuplicateEvidence): Promise<HrsPatient[]>;
  insertPatient(scope: ConnectorScope, patient: HrsPatientInput): Promise<{ foreign_id: string }>;
  bookAppointment(scope: ConnectorScope, appt: HrsAppointmentInput): Promise<{ foreign_id: string }>;
}

/** The system answered and said no: SPEC 5's 400 with its reason. */
export class ConnectorRefused extends Error {}
/** The system could not be reached: SPEC 5's 502. */
export class ConnectorUnreachable extends Error {}
