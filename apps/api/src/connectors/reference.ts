// The embedded reference health record system: kept in its own tables of the same database, so the whole
// flow (insertion on first booking, duplicate checks against the system, sync) works with no outside system.
import { BIO_DETAIL_FIELDS } from '@patients/core';
import type { Knex } from 'knex';
import { referenceHrsRepo } from '../db/repositories/referenceHrs';
import { bool } from '../db/repositories/time';
import {
  type ChangesPage,
  ConnectorRefused,
  type ConnectorScope,
  type HealthRecordConnector,
  type HrsAppointment,
  type HrsAppointmentInput,
  type HrsBioDetails,
  type HrsPatient,
  type HrsPatientInput,
} from './connector';

export const REFERENCE_DATA_SOURCE = 'ReferenceHRS';

function toHrsPatient(row: Record<string, unknown>): HrsPatient {
  const status = String(row.status);
  return {
    foreign_id: String(row.id),
    first_name: String(row.first_name),
    last_name: String(row.last_name),
    middle_name: (row.middle_name as string | null) ?? null,
    preferred_name: (row.preferred_name as string | null) ?? null,
    email: (row.email as string | null) ?? null,
    phone_number: (row.phone_number as string | null) ?? null,
    date_of_birth: (row.date_of_birth as string | null) ?? null,
    gender: (row.gender as HrsPatient['gender']) ?? null,
    inactive: status === 'Inactive',
    non_patient: status === 'NonPatient',
    updated_at: String(row.updated_at),
    guarantor_foreign_id: row.guarantor_id == null ? null : String(row.guarantor_id),
    location_id: null,
    // The reference system keeps every bio detail.
    ...Object.fromEntries(BIO_DETAIL_FIELDS.map((f) => [f, (row[f] as string | null) ?? null])),
  };
}

function toHrsAppointment(row: Record<string, unknown>): HrsAppointment {
  return {
    foreign_id: String(row.id),
    foreign_patient_id: String(row.ref_patient_id),
    // The embedded system books our own providers, so its provider id is ours.
    provider_id: Number(row.provider_id),
    provider: null,
    location_id: (row.location_id as number | null) ?? null,
    start_time: String(row.start_time),
    end_time: String(row.end_time),
    cancelled: row.status === 'Cancelled' || row.status === 'Broken',
    confirmed: bool(row.confirmed),
    note: (row.note as string | null) ?? null,
  };
}

export const referenceConnector: HealthRecordConnector = {
  dataSource: REFERENCE_DATA_SOURCE,
  answersAtOnce: true,

  async findByBirthDate({ trx, institutionId }: ConnectorScope, evidence) {
    if (!evidence.date_of_birth) return [];
    const rows = await referenceHrsRepo(trx).byBirthDate(institutionId, evidence.date_of_birth);
    return rows.map(toHrsPatient);
  },

  async insertPatient({ trx, institutionId }: ConnectorScope, input: HrsPatientInput & HrsBioDetails) {
    // The system keeps the values; which of them were practice defaults is ours to know.
    const { demographics_defaulted: _ours, ...p } = input;
    const row = await referenceHrsRepo(trx).insertPatient(institutionId, { ...p, status: 'Patient' });
    return { foreign_id: String(row.id) };
  },

  async bookAppointment({ trx, institutionId }: ConnectorScope, a: HrsAppointmentInput) {
    const id = await referenceHrsRepo(trx).insertAppointment(institutionId, {
      ref_patient_id: Number(a.foreign_patient_id),
      provider_id: a.provider_id,
      location_id: a.location_id,
      start_time: a.start_time,
      end_time: a.end_time,
      note: a.note,
    });
    return { foreign_id: String(id) };
  },

  async cancelAppointment({ trx, institutionId }: ConnectorScope, foreignId: string) {
    if (
      !(await referenceHrsRepo(trx).updateAppointment(institutionId, Number(foreignId), {
        status: 'Cancelled',
      }))
    )
      throw new ConnectorRefused(`appointment ${foreignId} is not in the reference system`);
  },

  async confirmAppointment({ trx, institutionId }: ConnectorScope, foreignId: string) {
    if (
      !(await referenceHrsRepo(trx).updateAppointment(institutionId, Number(foreignId), { confirmed: true }))
    )
      throw new ConnectorRefused(`appointment ${foreignId} is not in the reference system`);
  },

  async patientsChangedSince(scope, since, page): Promise<ChangesPage<HrsPatient>> {
    const { rows, next, cursor } = await referenceHrsRepo(scope.knex).changedSince(
      scope.institutionId,
      'ref_hrs_patients',
      since,
      page,
    );
    return { items: rows.map(toHrsPatient), next, cursor };
  },

  async appointmentsChangedSince(scope, since, page): Promise<ChangesPage<HrsAppointment>> {
    const { rows, next, cursor } = await referenceHrsRepo(scope.knex).changedSince(
      scope.institutionId,
      'ref_hrs_appointments',
      since,
      page,
    );
    return { items: rows.map(toHrsAppointment), next, cursor };
  },
};

/** Adds a patient straight into the reference system, as front-desk staff typing into it would (demo, tests). */
export async function addReferencePatient(
  db: Knex,
  institutionId: number,
  p: HrsPatientInput & { status?: string },
): Promise<HrsPatient> {
  return toHrsPatient(await referenceHrsRepo(db).insertPatient(institutionId, { ...p }));
}
