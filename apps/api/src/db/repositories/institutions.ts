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

/** How many leading characters of a key are kept to tell keys apart (`pk_` and five of its 32). */
const KEY_PREFIX_LENGTH = 8;

export interface ActiveKey {
  id: number;
  institution_id: number;
}

export interface ApiKeyListing {
  id: number;
  prefix: string | null;
  label: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
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

    /** Makes a new key for the institution and returns it; only its digest and first characters are kept. */
    async createApiKey(institutionId: number, label?: string): Promise<string> {
      const key = `pk_${randomBytes(24).toString('base64url')}`;
      await db('api_keys').insert({
        institution_id: institutionId,
        key_digest: keyDigest(key),
        prefix: key.slice(0, KEY_PREFIX_LENGTH),
        label: label ?? null,
        created_at: nowIso(),
      });
      return key;
    },

    /** The key (not revoked) a raw API key is, found by its digest. */
    async activeKeyByValue(key: string): Promise<ActiveKey | undefined> {
      const row = await db('api_keys')
        .where({ key_digest: keyDigest(key) })
        .whereNull('revoked_at')
        .first('id', 'institution_id');
      return row ? { id: Number(row.id), institution_id: Number(row.institution_id) } : undefined;
    },

    /** The key (not revoked) with this id: a token is good only while the key it was issued from is. */
    async activeKeyById(id: number): Promise<ActiveKey | undefined> {
      const row = await db('api_keys').where({ id }).whereNull('revoked_at').first('id', 'institution_id');
      return row ? { id: Number(row.id), institution_id: Number(row.institution_id) } : undefined;
    },

    /** An institution's keys, oldest first, without anything that could be used as one. */
    async apiKeys(institutionId: number): Promise<ApiKeyListing[]> {
      return db('api_keys')
        .where({ institution_id: institutionId })
        .orderBy('id')
        .select('id', 'prefix', 'label', 'created_at', 'last_used_at', 'revoked_at');
    },

    /** Revokes one of the institution's keys; false when it has no key of that id. Revoking twice is fine. */
    async revokeApiKey(institutionId: number, id: number): Promise<boolean> {
      const key = await db('api_keys').where({ institution_id: institutionId, id }).first('revoked_at');
      if (!key) return false;
      if (!key.revoked_at) await db('api_keys').where({ id }).update({ revoked_at: nowIso() });
      return true;
    },

    /** Records that a key was used now. */
    async keyUsed(id: number): Promise<void> {
      await db('api_keys').where({ id }).update({ last_used_at: nowIso() });
    },
  };
}
export type InstitutionsRepo = ReturnType<typeof institutionsRepo>;
