// Authentication and tenancy (SPEC 3). An API key belongs to one institution; POST /authenticates trades it
// for a signed one-hour bearer token. Either works as bearer. A subdomain that is not the key's own gets the
// same 403 as one that does not exist.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { forbiddenError, TOKEN_LIFETIME_SECONDS, unauthorizedError } from '@patients/core';
import type { Knex } from 'knex';
import { type InstitutionRow, institutionsRepo } from '../db/repositories/institutions';
import { secretsRepo } from '../db/repositories/secrets';

const TOKEN_SECRET_NAME = 'token_secret';

/** TOKEN_SECRET when set; otherwise a secret generated once and kept in the database (SPEC 9). */
export async function loadTokenSecret(db: Knex, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  return secretsRepo(db).getOrCreate(TOKEN_SECRET_NAME);
}

export interface Tokens {
  issue(institutionId: number, now: Date): { token: string; expires_at: string };
  verify(token: string, now: Date): number | undefined;
}

export function tokenSigner(secret: string): Tokens {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(institutionId, now) {
      const exp = Math.floor(now.getTime() / 1000) + TOKEN_LIFETIME_SECONDS;
      const payload = `v1.${institutionId}.${exp}`;
      return { token: `${payload}.${sign(payload)}`, expires_at: new Date(exp * 1000).toISOString() };
    },
    verify(token, now) {
      const parts = token.split('.');
      if (parts.length !== 4 || parts[0] !== 'v1') return undefined;
      const payload = parts.slice(0, 3).join('.');
      const given = Buffer.from(parts[3] ?? '');
      const expected = Buffer.from(sign(payload));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const institutionId = Number(parts[1]);
      const exp = Number(parts[2]);
      if (!Number.isInteger(institutionId) || exp * 1000 <= now.getTime()) return undefined;
      return institutionId;
    },
  };
}

/** The credential in an Authorization header, with or without the `Bearer ` prefix. */
export function credentialOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.replace(/^Bearer\s+/i, '').trim();
  return value || undefined;
}

export function authService(db: Knex, tokens: Tokens) {
  const institutions = institutionsRepo(db);
  return {
    /** POST /authenticates: the key names the institution. */
    async authenticate(header: string | undefined, now: Date) {
      const key = credentialOf(header);
      const institutionId = key ? await institutions.institutionIdForKey(key) : undefined;
      if (institutionId === undefined) throw unauthorizedError();
      return tokens.issue(institutionId, now);
    },

    /** The institution a request's credentials belong to: a token we signed, or a raw API key. */
    async institutionOf(header: string | undefined, now: Date): Promise<number> {
      const credential = credentialOf(header);
      if (!credential) throw unauthorizedError();
      const id = credential.startsWith('v1.')
        ? tokens.verify(credential, now)
        : await institutions.institutionIdForKey(credential);
      if (id === undefined) throw unauthorizedError();
      return id;
    },

    /** The institution named by `subdomain`, if and only if it is the caller's own. */
    async tenant(callerInstitutionId: number, subdomain: string): Promise<InstitutionRow> {
      const institution = await institutions.bySubdomain(subdomain);
      if (!institution || institution.id !== callerInstitutionId) throw forbiddenError();
      return institution;
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
