// Institutions (tenants), their settings, and their API keys. Keys are stored as SHA-256 digests: they are
// long random secrets, so a fast digest is safe, and a slow password hash would cap every request.
import { createHash, randomBytes } from 'node:crypto';
import type { DemographicDefaults } from '@patients/core';
import type { Knex } from 'knex';
import { type Clock, systemClock } from './time';

export interface InstitutionRow {
  id: number;
  subdomain: string;
  name: string;
}

export interface InstitutionSettings {
  demographic_defaults?: DemographicDefaults;
}

export function keyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function institutionsRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  return {
    async create(subdomain: string, name: string): Promise<InstitutionRow> {
      const now = nowIso();
      const [row] = await db('institutions')
        .insert({ subdomain, name, settings: '{}', created_at: now, updated_at: now })
        .returning(['id', 'subdomain', 'name']);
      return row as InstitutionRow;
    },

    async bySubdomain(subdomain: string): Promise<InstitutionRow | undefined> {
      return db('institutions').where({ subdomain }).first('id', 'subdomain', 'name');
    },

    async byId(id: number): Promise<InstitutionRow | undefined> {
      return db('institutions').where({ id }).first('id', 'subdomain', 'name');
    },

    /** Every institution's id, in order (the sync schedule walks them). */
    async ids(): Promise<number[]> {
      const rows: Array<{ id: number }> = await db('institutions').select('id').orderBy('id');
      return rows.map((r) => r.id);
    },

    async count(): Promise<number> {
      const row = await db('institutions').count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    async settings(id: number): Promise<InstitutionSettings> {
      const row = await db('institutions').where({ id }).first('settings');
      return row ? (JSON.parse(row.settings) as InstitutionSettings) : {};
    },

    async saveSettings(id: number, settings: InstitutionSettings): Promise<void> {
      await db('institutions')
        .where({ id })
        .update({ settings: JSON.stringify(settings), updated_at: nowIso() });
    },

    /** Makes a new key for the institution and returns it; only its digest is kept. */
    async createApiKey(institutionId: number, label?: string): Promise<string> {
      const key = `pk_${randomBytes(24).toString('base64url')}`;
      await db('api_keys').insert({
        institution_id: institutionId,
        key_digest: keyDigest(key),
        label: label ?? null,
        created_at: nowIso(),
      });
      return key;
    },

    async institutionIdForKey(key: string): Promise<number | undefined> {
      const row = await db('api_keys')
        .where({ key_digest: keyDigest(key) })
        .whereNull('revoked_at')
        .first('institution_id');
      return row?.institution_id;
    },
  };
}
export type InstitutionsRepo = ReturnType<typeof institutionsRepo>;
