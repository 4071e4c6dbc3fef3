// The embedded reference health record system: kept in its own tables of the same database, so the whole
// flow (insertion on first booking, duplicate checks against the system, sync) works with no outside system.
import type { Knex } from 'knex';
import { bool, nowIso } from '../db/repositories/time';
import type {
  ConnectorScope,
  HealthRecordConnector,
  HrsAppointmentInput,
  HrsPatient,
  HrsPatientInput,
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
  };
}

export const referenceConnector: HealthRecordConnector = {
  dataSource: REFERENCE_DATA_SOURCE,
  answersAtOnce: true,

  async findByBirthDate({ trx, institutionId }: ConnectorScope, evidence) {
    if (!evidence.date_of_birth) return [];
    const rows = await trx('ref_hrs_patients').where({
      institution_id: institutionId,
      date_of_birth: evidence.date_of_birth,
    });
    return rows.map(toHrsPatient);
  },

  async insertPatient({ trx, institutionId }: ConnectorScope, p: HrsPatientInput) {
    const now = nowIso();
    const [row] = await trx('ref_hrs_patients')
      .insert({ ...p, institution_id: institutionId, status: 'Patient', created_at: now, updated_at: now })
      .returning('id');
    return { foreign_id: String(row.id) };
  },

  async bookAppointment({ trx, institutionId }: ConnectorScope, a: HrsAppointmentInput) {
    const now = nowIso();
    const [row] = await trx('ref_hrs_appointments')
      .insert({
        institution_id: institutionId,
        ref_patient_id: Number(a.foreign_patient_id),
        provider_id: a.provider_id,
        start_time: a.start_time,
        end_time: a.end_time,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    return { foreign_id: String(row.id) };
  },
};

/** Adds a patient straight into the reference system, as front-desk staff typing into it would (demo, tests). */
export async function addReferencePatient(
  db: Knex,
  institutionId: number,
  p: HrsPatientInput & { status?: string },
): Promise<HrsPatient> {
  const now = nowIso();
  const [row] = await db('ref_hrs_patients')
    .insert({ status: 'Patient', ...p, institution_id: institutionId, created_at: now, updated_at: now })
    .returning('*');
  return toHrsPatient({ ...row, inactive: bool(row.inactive) });
}
