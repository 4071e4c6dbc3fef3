// Authentication and tenancy (SPEC 3). An API key belongs to one institution; POST /authenticates trades it
// for a signed one-hour bearer token. Either works as bearer. A subdomain that is not the key's own gets the
// same 403 as one that does not exist.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { forbiddenError, TOKEN_LIFETIME_SECONDS, unauthorizedError } from '@patients/core';
import type { Knex } from 'knex';
import type { Database } from '../db/connect';
import { type ActiveKey, type InstitutionRow, institutionsRepo } from '../db/repositories/institutions';
import { secretsRepo } from '../db/repositories/secrets';
import { withoutInstitutionLock } from '../db/writes';

const TOKEN_SECRET_NAME = 'token_secret';

/** TOKEN_SECRET when set; otherwise a secret generated once and kept in the database (SPEC 9). */
export async function loadTokenSecret(db: Knex, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  return secretsRepo(db).getOrCreate(TOKEN_SECRET_NAME);
}

/** Who is calling: the institution and the API key the credentials come from (a token's key, for a token). */
export interface Caller {
  institutionId: number;
  apiKeyId: number;
}

export interface Tokens {
  issue(key: ActiveKey, now: Date): { token: string; expires_at: string };
  /** The key and institution a token we signed was issued for, if it is genuine and not expired. */
  verify(token: string, now: Date): Caller | undefined;
}

/**
 * `v2.<key id>.<institution id>.<expiry>.<HMAC>`: the key id is in the token so that revoking the key
 * ends its tokens too (each use checks the key). v1 tokens (no key id, before keys could be revoked) are no
 * longer accepted: a client re-authenticates, as it does every hour.
 */
export function tokenSigner(secret: string): Tokens {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(key, now) {
      const exp = Math.floor(now.getTime() / 1000) + TOKEN_LIFETIME_SECONDS;
      const payload = `v2.${key.id}.${key.institution_id}.${exp}`;
      return { token: `${payload}.${sign(payload)}`, expires_at: new Date(exp * 1000).toISOString() };
    },
    verify(token, now) {
      const parts = token.split('.');
      if (parts.length !== 5 || parts[0] !== 'v2') return undefined;
      const payload = parts.slice(0, 4).join('.');
      const given = Buffer.from(parts[4] ?? '');
      const expected = Buffer.from(sign(payload));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const apiKeyId = Number(parts[1]);
      const institutionId = Number(parts[2]);
      const exp = Number(parts[3]);
      if (!Number.isInteger(apiKeyId) || !Number.isInteger(institutionId)) return undefined;
      if (exp * 1000 <= now.getTime()) return undefined;
      return { apiKeyId, institutionId };
    },
  };
}

/** The credential in an Authorization header, with or without the `Bearer ` prefix. */
export function credentialOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.replace(/^Bearer\s+/i, '').trim();
  return value || undefined;
}

/** A key's `last_used_at` is written at most this often (a write on every request would cost every request). */
const KEY_USE_RECORDED_EVERY_MS = 60_000;

export function authService(db: Database, tokens: Tokens) {
  const keys = institutionsRepo(db.read);
  const recorded = new Map<number, number>();

  /** Keeps `last_used_at` current to the minute, off the request's path (its failure costs nothing). */
  function used(key: ActiveKey, now: Date): void {
    const at = now.getTime();
    if (at - (recorded.get(key.id) ?? Number.NEGATIVE_INFINITY) < KEY_USE_RECORDED_EVERY_MS) return;
    recorded.set(key.id, at);
    void withoutInstitutionLock(db, (trx) => institutionsRepo(trx, () => now).keyUsed(key.id)).catch(
      () => {},
    );
  }

  return {
    /** POST /authenticates: the key names the institution. */
    async authenticate(header: string | undefined, now: Date) {
      const value = credentialOf(header);
      const key = value ? await keys.activeKeyByValue(value) : undefined;
      if (!key) throw unauthorizedError();
      used(key, now);
      return tokens.issue(key, now);
    },

    /** Who a request's credentials are: a token we signed from a key still in force, or a raw API key. */
    async callerOf(header: string | undefined, now: Date): Promise<Caller> {
      const credential = credentialOf(header);
      if (!credential) throw unauthorizedError();
      let key: ActiveKey | undefined;
      if (/^v\d+\./.test(credential)) {
        const claimed = tokens.verify(credential, now);
        key = claimed ? await keys.activeKeyById(claimed.apiKeyId) : undefined;
        if (key && key.institution_id !== claimed?.institutionId) key = undefined;
      } else {
        key = await keys.activeKeyByValue(credential);
      }
      if (!key) throw unauthorizedError();
      used(key, now);
      return { institutionId: key.institution_id, apiKeyId: key.id };
    },

    /** The institution named by `subdomain`, if and only if it is the caller's own. */
    async tenant(callerInstitutionId: number, subdomain: string): Promise<InstitutionRow> {
      const institution = await keys.bySubdomain(subdomain);
      if (!institution || institution.id !== callerInstitutionId) throw forbiddenError();
      return institution;
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
