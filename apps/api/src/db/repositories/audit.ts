// The audit log's rows (SPEC 3 "Audit log"). Two methods: append and read. There is deliberately no way to
// change or delete an entry here, and the table's triggers refuse it from anywhere else (migration 008).
import type { Knex } from 'knex';

export type AuditAction =
  | 'patient.read'
  | 'patient.search'
  | 'patient.create'
  | 'patient.update'
  | 'appointment.book'
  | 'appointment.cancel'
  | 'appointment.confirm'
  | 'appointment.list';

export interface AuditEntry {
  at: string;
  institution_id: number | null;
  api_key_id: number | null;
  acting_user: string | null;
  action: AuditAction;
  patient_ids: number[];
  status: number;
  request_id: string;
}

export interface AuditFilter {
  /** Only entries naming this patient. */
  patientId?: number;
  /** Only entries at or after this time (ISO 8601 UTC). */
  since?: string;
}

/** How many entries one INSERT carries: 9 values each, well under either engine's limit on bindings. */
const ROWS_PER_INSERT = 500;

const joined = (ids: number[]) => (ids.length ? `,${ids.join(',')},` : '');
const split = (stored: string) => stored.split(',').filter(Boolean).map(Number);

export function auditRepo(db: Knex) {
  return {
    /** Adds entries, in one statement per 500. */
    async append(entries: readonly AuditEntry[]): Promise<void> {
      for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
        await db('audit_log').insert(
          entries.slice(i, i + ROWS_PER_INSERT).map((e) => ({ ...e, patient_ids: joined(e.patient_ids) })),
        );
      }
    },

    /**
     * An institution's entries (null: those of refused credentials, which name none), oldest first (by time;
     * a read's entry is written a moment after a change answered later), a page at a time after `after`.
     */
    async entries(
      institutionId: number | null,
      filter: AuditFilter,
      after?: { at: string; id: number },
      limit = 1000,
    ): Promise<Array<AuditEntry & { id: number }>> {
      const q = db('audit_log');
      if (after)
        q.where((w) =>
          w
            .where('at', '>', after.at)
            .orWhere((same) => same.where('at', after.at).where('id', '>', after.id)),
        );
      if (institutionId === null) q.whereNull('institution_id');
      else q.where('institution_id', institutionId);
      if (filter.since) q.where('at', '>=', filter.since);
      if (filter.patientId !== undefined) q.where('patient_ids', 'like', `%,${filter.patientId},%`);
      const rows = await q.orderBy([{ column: 'at' }, { column: 'id' }]).limit(limit);
      return rows.map((r) => ({ ...r, patient_ids: split(r.patient_ids) }));
    },
  };
}
