// Where each institution's sync stands: per stream (patients, appointments) the committed cursor and the
// read in progress, and per institution the last run and, on SQLite, the lease (see db/syncLock.ts).
import type { Knex } from 'knex';
import { type Clock, systemClock } from './time';

export type SyncStream = 'patients' | 'appointments';

export interface StreamState {
  /** The health record system's clock at the start of the last complete read, or null: never read. */
  cursor: string | null;
  /** A read in progress: the cursor it will store when done, and where its next page starts. */
  pending_cursor: string | null;
  page: string | null;
}

export interface SyncRunRow {
  institution_id: number;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_summary: string | null;
}

export function syncRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  return {
    async stream(institutionId: number, stream: SyncStream): Promise<StreamState> {
      const row = await db('sync_streams').where({ institution_id: institutionId, stream }).first();
      return {
        cursor: row?.cursor ?? null,
        pending_cursor: row?.pending_cursor ?? null,
        page: row?.page ?? null,
      };
    },

    async saveStream(institutionId: number, stream: SyncStream, state: StreamState): Promise<void> {
      await db('sync_streams')
        .insert({ institution_id: institutionId, stream, ...state, updated_at: nowIso() })
        .onConflict(['institution_id', 'stream'])
        .merge(['cursor', 'pending_cursor', 'page', 'updated_at']);
    },

    /** Forgets where the streams stand, so the next sync reads everything again (idempotent). */
    async resetStreams(institutionId: number): Promise<void> {
      await db('sync_streams').where({ institution_id: institutionId }).delete();
    },

    async ensureRun(institutionId: number): Promise<void> {
      await db('sync_runs').insert({ institution_id: institutionId }).onConflict('institution_id').ignore();
    },

    async run(institutionId: number): Promise<SyncRunRow | undefined> {
      return db('sync_runs').where({ institution_id: institutionId }).first();
    },

    async runs(): Promise<SyncRunRow[]> {
      return db('sync_runs').select('institution_id', 'last_started_at', 'last_finished_at', 'last_summary');
    },

    async started(institutionId: number, at: string): Promise<void> {
      await db('sync_runs').where({ institution_id: institutionId }).update({ last_started_at: at });
    },

    async finished(institutionId: number, at: string, summary: unknown): Promise<void> {
      await db('sync_runs')
        .where({ institution_id: institutionId })
        .update({ last_finished_at: at, last_summary: JSON.stringify(summary) });
    },
  };
}
