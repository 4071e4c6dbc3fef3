// The embedded reference health record system's tables (ref_hrs_*): the SQL of connectors/reference.ts,
// which stands for an outside system kept in the same database. Its times come from its own clock.
import type { Knex } from 'knex';
import { bool, type Clock, systemClock } from './time';

/** Rows per page of a sync read. */
const PAGE_SIZE = 500;
/**
 * A change is stamped before its transaction commits, so a read can miss one stamped just before it began;
 * re-reading a few seconds before the cursor catches it (sync is idempotent, so re-reads cost nothing).
 */
const OVERLAP_MS = 5_000;

type Row = Record<string, unknown>;

/** Keyset position in (updated_at, id) order, so pages never skip or repeat rows while others write. */
interface PagePosition {
  updated_at: string;
  id: number;
}

async function changedSince(
  knex: Knex,
  institutionId: number,
  nowIso: () => string,
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

export function referenceHrsRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  return {
    byBirthDate(institutionId: number, dateOfBirth: string): Promise<Row[]> {
      return db('ref_hrs_patients').where({ institution_id: institutionId, date_of_birth: dateOfBirth });
    },

    async insertPatient(institutionId: number, fields: Row): Promise<Row> {
      const now = nowIso();
      const [row] = await db('ref_hrs_patients')
        .insert({
          status: 'Patient',
          ...fields,
          institution_id: institutionId,
          created_at: now,
          updated_at: now,
        })
        .returning('*');
      return { ...row, inactive: bool(row.inactive) };
    },

    async insertAppointment(institutionId: number, fields: Row): Promise<number> {
      const now = nowIso();
      const [row] = await db('ref_hrs_appointments')
        .insert({ ...fields, institution_id: institutionId, created_at: now, updated_at: now })
        .returning('id');
      return Number(row.id);
    },

    /** Changes an appointment as the system's staff would (a new change time); false when there is none. */
    async updateAppointment(institutionId: number, id: number, fields: Row): Promise<boolean> {
      const n = await db('ref_hrs_appointments')
        .where({ institution_id: institutionId, id })
        .update({ ...fields, updated_at: nowIso() });
      return n > 0;
    },

    /** One page of the rows changed since `since`, in (updated_at, id) order, and the next page's token. */
    changedSince(
      institutionId: number,
      table: 'ref_hrs_patients' | 'ref_hrs_appointments',
      since: string | null,
      page: string | null,
    ) {
      return changedSince(db, institutionId, nowIso, table, since, page);
    },
  };
}
