// Which health record system each institution is connected to. The settings are plain JSON (base URL,
// location map, sync interval); the keys are kept sealed (connectors/secrets) and opened only in memory.
import type { Knex } from 'knex';
import { type Clock, systemClock } from './time';

export interface ConnectorRow {
  institution_id: number;
  type: string;
  settings: Record<string, unknown>;
  sealed_secrets: string | null;
  updated_at: string;
}

export function connectorsRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  return {
    async get(institutionId: number): Promise<ConnectorRow | undefined> {
      const raw = await db('institution_connectors').where({ institution_id: institutionId }).first();
      return raw ? { ...raw, settings: JSON.parse(raw.settings) } : undefined;
    },

    async save(
      institutionId: number,
      row: { type: string; settings: Record<string, unknown>; sealed_secrets: string | null },
    ): Promise<void> {
      const now = nowIso();
      await db('institution_connectors')
        .insert({
          institution_id: institutionId,
          ...row,
          settings: JSON.stringify(row.settings),
          created_at: now,
          updated_at: now,
        })
        .onConflict('institution_id')
        .merge(['type', 'settings', 'sealed_secrets', 'updated_at']);
    },

    async remove(institutionId: number): Promise<void> {
      await db('institution_connectors').where({ institution_id: institutionId }).delete();
    },
  };
}
