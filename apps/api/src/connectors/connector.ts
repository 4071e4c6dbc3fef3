// The health record system connector (SPEC 7): what the service needs from a practice management system.
import type { BioDetailField, DemographicField, DuplicateEvidence, Gender } from '@patients/core';
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
  /** Fields filled from the practice's defaults (SPEC 4.3): never evidence that two records are one person. */
  demographics_defaulted?: readonly DemographicField[];
}

/**
 * A patient's bio details (SPEC 4.1: address, other phones), in our names. A connector leaves out (undefined)
 * what its system has no field for; null is "known to be empty".
 */
export type HrsBioDetails = Partial<Record<BioDetailField, string | null>>;

/** A patient as the health record system holds it, mapped to our field names. */
export interface HrsPatient extends HrsPatientInput, HrsBioDetails {
  foreign_id: string;
  inactive: boolean;
  non_patient: boolean;
  /** The system's own last-change time, as it writes it (informational: sync never compares our clock to it). */
  updated_at: string;
  /** The foreign id of the family's guarantor (may be the patient's own), or null. */
  guarantor_foreign_id?: string | null;
  /** Our location this record belongs to (mapped from the system's clinic), or null for the default one. */
  location_id?: number | null;
}

/** An appointment as the health record system holds it, mapped to our names and to UTC. */
export interface HrsAppointment {
  foreign_id: string;
  foreign_patient_id: string;
  /** Our provider, when the connector knows it (the embedded system books ours directly). */
  provider_id: number | null;
  /** Otherwise the system's provider (its id and a display name), so sync can find or add ours. */
  provider: { foreign_id: string; name: string } | null;
  /** Our location (mapped from the system's clinic or operatory), or null for the default one. */
  location_id: number | null;
  /** ISO 8601 UTC. */
  start_time: string;
  end_time: string;
  cancelled: boolean;
  /** The system's confirmation of it (SPEC 5), when it has one. */
  confirmed?: boolean;
  note: string | null;
}

/** One page of a "changed since" read. Cursors and page tokens are opaque strings the connector made. */
export interface ChangesPage<T> {
  items: T[];
  /** Where the next page starts, or null when this was the last page. */
  next: string | null;
  /**
   * The cursor to store once every page of this read is applied: the system's own clock when the read
   * began (never ours). The connector itself re-reads a small overlap when it is handed the cursor back.
   */
  cursor: string;
}

export interface HrsAppointmentInput {
  foreign_patient_id: string;
  provider_id: number;
  /** The provider's id in the health record system, when known (providers.foreign_id). */
  provider_foreign_id?: string | null;
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

/** Reads outside a unit of work (sync pulls); the embedded system reads its tables through `knex`. */
export interface ReadScope {
  knex: Knex;
  institutionId: number;
}

export interface HealthRecordConnector {
  /** Written to foreign_id_type of inserted patients, e.g. "OpenDental". Never "nex". */
  readonly dataSource: string;
  /** True when lookups answer at once, so create can check the system itself for duplicates (SPEC 4.3). */
  readonly answersAtOnce: boolean;
  /** Patients with this date of birth: the duplicate rule's index field. */
  findByBirthDate(scope: ConnectorScope, evidence: DuplicateEvidence): Promise<HrsPatient[]>;
  insertPatient(
    scope: ConnectorScope,
    patient: HrsPatientInput & HrsBioDetails,
  ): Promise<{ foreign_id: string }>;
  bookAppointment(scope: ConnectorScope, appt: HrsAppointmentInput): Promise<{ foreign_id: string }>;
  /** Cancels an appointment there (SPEC 5); throws ConnectorRefused / ConnectorUnreachable as insertion does. */
  cancelAppointment(scope: ConnectorScope, foreignId: string): Promise<void>;
  /** Marks an appointment confirmed there (SPEC 5). */
  confirmAppointment(scope: ConnectorScope, foreignId: string): Promise<void>;
  /** Patients changed after `since` (null: all of them), one page from `page` (null: the first). */
  patientsChangedSince(
    scope: ReadScope,
    since: string | null,
    page: string | null,
  ): Promise<ChangesPage<HrsPatient>>;
  /** Appointments changed after `since` (null: all of them), one page from `page` (null: the first). */
  appointmentsChangedSince(
    scope: ReadScope,
    since: string | null,
    page: string | null,
  ): Promise<ChangesPage<HrsAppointment>>;
}

/** The system answered and said no: SPEC 5's 400 with its reason. */
export class ConnectorRefused extends Error {}
/** The system could not be reached: SPEC 5's 502. */
export class ConnectorUnreachable extends Error {
  constructor(
    message: string,
    /** The HTTP status the system answered with, when it answered at all (for the operator's log line). */
    readonly status?: number,
  ) {
    super(message);
  }
}
/** What an operator's log line says of a call to the system that failed (no patient data, no message). */
export interface UpstreamCause {
  /** The connector's data source, e.g. `Open Dental`. */
  connector: string;
  /** The kind of failure (`OpenDentalTransient`, `ConnectorMisconfigured` ...). */
  failure: string;
  /** The HTTP status the system answered with, when it answered. */
  status?: number;
}

/** The system turned our credentials away (401): a configuration problem, reported as unreachable (502). */
export class ConnectorMisconfigured extends ConnectorUnreachable {}

/**
 * Stands in for a connector that cannot be built (bad settings, keys that do not open), saying why on every
 * call that needs the system: search and create keep working, the rest is SPEC 5's 502.
 */
export function unusableConnector(dataSource: string, reason: string): HealthRecordConnector {
  const fail = async (): Promise<never> => {
    throw new ConnectorMisconfigured(reason);
  };
  return {
    dataSource,
    answersAtOnce: false,
    findByBirthDate: fail,
    insertPatient: fail,
    bookAppointment: fail,
    cancelAppointment: fail,
    confirmAppointment: fail,
    patientsChangedSince: fail,
    appointmentsChangedSince: fail,
  };
}
