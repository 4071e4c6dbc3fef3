// Idempotency keys' rows (SPEC 4.3): claimed by the first request, holding its outcome once answered.
import type { Knex } from 'knex';

export interface IdempotencyRow {
  api_key_id: number;
  key: string;
  fingerprint: string;
  created_at: string;
  status: number | null;
  outcome: string | null;
}

export function idempotencyRepo(db: Knex) {
  const row = (apiKeyId: number, key: string) => db('idempotency_keys').where({ api_key_id: apiKeyId, key });
  return {
    async find(apiKeyId: number, key: string): Promise<IdempotencyRow | undefined> {
      return row(apiKeyId, key).first();
    },

    /** Claims the key for a first request (the caller has checked there is no row, or replaces `stale`). */
    async claim(apiKeyId: number, key: string, fingerprint: string, at: string, stale?: IdempotencyRow) {
      if (stale) await row(apiKeyId, key).where({ created_at: stale.created_at }).delete();
      await db('idempotency_keys').insert({
        api_key_id: apiKeyId,
        key,
        fingerprint,
        created_at: at,
        status: null,
        outcome: null,
      });
    },

    /** The first request's answer, kept for the retries. */
    async finish(apiKeyId: number, key: string, status: number, outcome: string): Promise<void> {
      await row(apiKeyId, key).update({ status, outcome });
    },

    /** Gives the key up: the first request failed in a way a retry should run again (a 5xx). */
    async release(apiKeyId: number, key: string): Promise<void> {
      await row(apiKeyId, key).whereNull('status').delete();
    },

    /** Forgets keys claimed before `before` (they have lapsed). */
    async purge(before: string): Promise<number> {
      return db('idempotency_keys').where('created_at', '<', before).delete();
    },
  };
}
