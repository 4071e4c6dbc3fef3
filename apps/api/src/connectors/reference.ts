// The embedded reference health record system: kept in its own tables of the same database, so the whole
// flow (insertion on first booking, duplicate checks against the system, sync) works with no outside system.
import type { Knex } from 'knex';
import { bool, systemClock } from '../db/repositories/time';

// The reference system stands for an outside system: its times come from its own clock, the system's.
const nowIso = () => systemClock().toISOString();

import type {
  ChangesPage,
  ConnectorScope,
  HealthRecordConnector,
  HrsAppointment,
  HrsAppointmentInput,
  HrsPatient,
  HrsPatientInput,
  ReadScope,
} from './connector';

export const REFERENCE_DATA_SOURCE = 'ReferenceHRS';
/** Rows per page of a sync read. */
const PAGE_SIZE = 500;
/**
 * A change is stamped before its transaction commits, so a read can miss one stamped just before it began;
 * re-reading a few seconds before the cursor catches it (sync is idempotent, so re-reads cost nothing).
 */
const OVERLAP_MS = 5_000;

/** Keyset position in (updated_at, id) order, so pages never skip or repeat rows while others write. */
interface PagePosition {
  updated_at: string;
  id: number;
}

async function changedSince(
  { knex, institutionId }: ReadScope,
  table: 'ref_hrs_patients' | 'ref_hrs_appointments',
  since: string | null,
  page: string | null,
): Promise<{ rows: Record<string, unknown>[]; next: string | null; cursor: string }> {
  // The read's start on this system's clock, taken before the rows, is the next cursor.
  const cursor = page ? (JSON.parse(page) as { cursor: string }).cursor : nowIso();
  const after = page ? (JSON.parse(page) as { after: PagePosition | null }).after : null;
  const q = knex(table).where({ institution_id: institutionId });
  if (since) q.where('updated_at', '>', new Date(Date.parse(since) - OVERLAP_MS).toISOString());
  if (after) {
    q.where((w) =>
      w
        .where('updated_at', '>', after.updated_at)
        .orWhere((x) => x.where('updated_at', '=', after.updated_at).andWhere('id', '>', after.id)),
    );
  }
  const rows = await q.orderBy([{ column: 'updated_at' }, { column: 'id' }]).limit(PAGE_SIZE);
  const last = rows.at(-1);
  const next =
    rows.length < PAGE_SIZE || !last
      ? null
      : JSON.stringify({ cursor, after: { updated_at: last.updated_at, id: last.id } });
  return { rows, next, cursor };
}

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
    note: (row.note as string | null) ?? null,
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

  async insertPatient({ trx, institutionId }: ConnectorScope, input: HrsPatientInput) {
    const now = nowIso();
    // The system keeps the values; which of them were practice defaults is ours to know.
    const { demographics_defaulted: _ours, ...p } = input;
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
        location_id: a.location_id,
        start_time: a.start_time,
        end_time: a.end_time,
        note: a.note,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    return { foreign_id: String(row.id) };
  },

  async patientsChangedSince(scope, since, page): Promise<ChangesPage<HrsPatient>> {
    const { rows, next, cursor } = await changedSince(scope, 'ref_hrs_patients', since, page);
    return { items: rows.map(toHrsPatient), next, cursor };
  },

  async appointmentsChangedSince(scope, since, page): Promise<ChangesPage<HrsAppointment>> {
    const { rows, next, cursor } = await changedSince(scope, 'ref_hrs_appointments', since, page);
    return { items: rows.map(toHrsAppointment), next, cursor };
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
