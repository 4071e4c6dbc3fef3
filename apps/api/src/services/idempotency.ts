// Idempotency-Key (SPEC 4.3, after the IETF idempotency-key header draft): a POST made with a key is answered
// once; a retry with the same key and the same request within 24 hours gets that first answer again (its
// result, or its refusal) and changes nothing; the same key with a different request is refused (422); a
// retry while the first is still being answered is refused (409). Keys belong to the API key that sent them.
//
// The first request claims the key in its own small transaction before it runs, and stores its outcome when
// it is answered. A first request that fails with a 5xx (the database busy, the health record system
// unreachable) changed nothing, so it gives the key up and a retry runs again. A claim left unanswered for a
// minute belongs to a process that died mid-request: a retry then runs again, and the duplicate rule (a
// create) or the provider's busy check (a booking) keeps it from doubling a change that did land.
import { createHash } from 'node:crypto';
import { type ErrorCode, idempotencyMismatchError, inProgressError, ServiceError } from '@patients/core';
import type { Database } from '../db/connect';
import { idempotencyRepo } from '../db/repositories/idempotency';
import { withoutInstitutionLock } from '../db/writes';
import { asServiceError, httpStatusOf } from '../errors';

/** How long a key's first answer is kept (SPEC 4.3). */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A claim unanswered this long is taken to have died with its process (no request takes this long). */
export const ABANDONED_CLAIM_MS = 60_000;

/** How often lapsed keys are deleted (by the first keyed request after the interval). */
const PURGE_EVERY_MS = 60 * 60 * 1000;

type Outcome =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error: {
        code: ErrorCode;
        description: string;
        messages: string[];
        data: Record<string, unknown> | null;
      };
    };

/** JSON with every object's keys sorted: the same request gives the same text whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What makes two requests "the same": the operation and its validated input (so `"provider_id": "102"` and
 * `102`, or two spellings of one phone number, are the same request), without the key itself.
 */
export function fingerprintOf(operation: string, input: Record<string, unknown>): string {
  const { idempotency_key: _key, ...rest } = input;
  return createHash('sha256')
    .update(`${operation}\n${canonical(rest)}`)
    .digest('hex');
}

export function idempotencyService(db: Database, now: () => Date) {
  let purgedAt = 0;

  /** Deletes lapsed keys now and then, off the request's path. */
  function purgeNowAndThen(at: number): void {
    if (at - purgedAt < PURGE_EVERY_MS) return;
    purgedAt = at;
    const before = new Date(at - IDEMPOTENCY_KEY_LIFETIME_MS).toISOString();
    void withoutInstitutionLock(db, (trx) => idempotencyRepo(trx).purge(before)).catch(() => {});
  }

  /** Claims the key, or says what the earlier request with it decided. */
  async function claim(apiKeyId: number, key: string, fingerprint: string) {
    const at = now().getTime();
    purgeNowAndThen(at);
    try {
      return await withoutInstitutionLock(db, async (trx) => {
        const repo = idempotencyRepo(trx);
        const found = await repo.find(apiKeyId, key);
        const age = found ? at - Date.parse(found.created_at) : 0;
        const lapsed = age >= IDEMPOTENCY_KEY_LIFETIME_MS;
        const abandoned =
          found?.status === null && found.fingerprint === fingerprint && age >= ABANDONED_CLAIM_MS;
        if (!found || lapsed || abandoned) {
          await repo.claim(apiKeyId, key, fingerprint, new Date(at).toISOString(), found);
          return undefined;
        }
        return found;
      });
    } catch (err) {
      // PostgreSQL: two first requests raced, and the other one's claim is in (a unique violation).
      if ((err as { code?: unknown }).code === '23505') throw inProgressError();
      throw err;
    }
  }

  async function settle(apiKeyId: number, key: string, status: number, outcome: Outcome | undefined) {
    await withoutInstitutionLock(db, (trx) =>
      outcome
        ? idempotencyRepo(trx).finish(apiKeyId, key, status, JSON.stringify(outcome))
        : idempotencyRepo(trx).release(apiKeyId, key),
    ).catch(() => {
      // The answer stands; the claim stays unanswered and lapses as abandoned after a minute (see above).
    });
  }

  return {
    /**
     * Runs `run` once for this key: its result (`replayed` false), or the first request's outcome again
     * (`replayed` true; a refusal is thrown again as it was).
     */
    async once<R>(
      apiKeyId: number,
      key: string,
      fingerprint: string,
      run: () => Promise<R>,
      statusOf: (result: R) => number,
    ): Promise<{ result: R; replayed: boolean }> {
      const earlier = await claim(apiKeyId, key, fingerprint);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) throw idempotencyMismatchError();
        if (earlier.status === null || earlier.outcome === null) throw inProgressError();
        const outcome = JSON.parse(earlier.outcome) as Outcome;
        if (outcome.ok) return { result: outcome.result as R, replayed: true };
        const { code, description, messages, data } = outcome.error;
        throw Object.assign(new ServiceError(code, description, messages, data), { replayed: true });
      }
      try {
        const result = await run();
        await settle(apiKeyId, key, statusOf(result), { ok: true, result });
        return { result, replayed: false };
      } catch (err) {
        const refusal = asServiceError(err);
        const status = httpStatusOf(err);
        const kept: Outcome | undefined =
          refusal && status < 500
            ? {
                ok: false,
                error: {
                  code: refusal.code,
                  description: refusal.description,
                  messages: refusal.messages,
                  data: refusal.data,
                },
              }
            : undefined;
        await settle(apiKeyId, key, status, kept);
        throw err;
      }
    },
  };
}

export type IdempotencyService = ReturnType<typeof idempotencyService>;
