// Every setting of the service (SPEC 9): read from the environment once, by the entry points (`npm start`,
// the admin command line), checked with one zod schema, and handed down as one frozen object. Nothing else
// reads process.env; tests and tools pass their settings in.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueMessages } from '@patients/core';
import { z } from 'zod';
import { secretsKey } from './connectors/secrets';

/** The repository root: `data/` there holds the default SQLite file. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A variable set to nothing is a variable not set (`DATABASE_URL= npm start`). */
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(unsetIfEmpty, z.string().optional());

/** What a variable holds, for its message (SPEC 9: name it, say what it holds and what is expected). */
const holds = (input: unknown) => {
  const text = String(input);
  return `is "${text.length > 40 ? `${text.slice(0, 40)}...` : text}"`;
};

/** A whole number from `min` to `max` (as text in the environment), `what` naming it in the message. */
const wholeNumber = (what: string, fallback: number, min: number, max?: number) =>
  z.preprocess(unsetIfEmpty, z.string().optional()).transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)) return n;
    const range = max === undefined ? `at least ${min}` : `${min} to ${max}`;
    ctx.addIssue({ code: 'custom', message: `${holds(raw)}, expected ${what} (${range})` });
    return z.NEVER;
  });

/** One of a few words. */
const oneOf = <T extends readonly [string, ...string[]]>(words: T) =>
  z.preprocess(
    unsetIfEmpty,
    z.enum(words, { error: (i) => `${holds(i.input)}, expected one of ${words.join(', ')}` }).optional(),
  );

const environment = z.object({
  PORT: wholeNumber('a port number', 3000, 0, 65535),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  // A SQLite file (file:/path, or a plain path) or a PostgreSQL URL; any other scheme is a mistake to say, not a
  // file name to create (a mistyped postgress:// must not become a new empty SQLite database, SPEC 9).
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^(postgres|postgresql|file):\/\//i.test(v), {
        error: (issue) =>
          `must be file:/path/to/db.sqlite, a path, or postgres://user@host:5432/db (it starts with ${String(issue.input).split('://')[0]}://)`,
      })
      .optional(),
  ),
  NODE_ENV: optionalText,
  SEED_DEMO: oneOf(['true', 'false']),
  TOKEN_SECRET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .min(32, { error: (issue) => `must be at least 32 characters (it has ${String(issue.input).length})` })
      .optional(),
  ),
  LOG_LEVEL: oneOf(LOG_LEVELS),
  SYNC_TICK_SECONDS: wholeNumber('a whole number of seconds', 30, 0),
  SYNC_LEASE_SECONDS: wholeNumber('a whole number of seconds', 60, 1),
  // Checked now, not when the first booking needs it. Never echoed: it is a secret.
  CONNECTOR_SECRETS_KEY: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine(
        (v) => {
          try {
            return secretsKey(v).length === 32;
          } catch {
            return false;
          }
        },
        {
          error: (i) =>
            `has ${String(i.input).trim().length} characters, expected 32 bytes as 64 hex digits or 44 base64 characters (make one with \`openssl rand -base64 32\`)`,
        },
      )
      .optional(),
  ),
  RATE_LIMIT_PER_MINUTE: wholeNumber('a whole number of requests', 6000, 1),
  TRUST_PROXY: optionalText,
  WEBHOOK_ALLOWED_HTTP_HOSTS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[\w.:-]+(,[\w.:-]+)*$/, {
        error: (i) => `${holds(i.input)}, expected host names separated by commas (no spaces, no schemes)`,
      })
      .optional(),
  ),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  production: boolean;
  seedDemo: boolean;
  tokenSecret: string | undefined;
  logLevel: string;
  /** Seconds between looks for institutions due a scheduled sync; 0 turns the schedule off. */
  syncTickSeconds: number;
  /** SQLite only: how long a sync's lease outlives a killed process. */
  syncLeaseSeconds: number;
  /** CONNECTOR_SECRETS_KEY as given (connectors/secrets.ts reads it when a sealed key is needed). */
  connectorSecretsKey: string | undefined;
  /** Requests a minute each API key (and the tokens issued from it) may make (SPEC 3). */
  rateLimitPerMinute: number;
  /**
   * TRUST_PROXY: Express's `trust proxy` (`loopback`, a number of hops, addresses), set only behind a proxy
   * that writes X-Forwarded-For; unset, the client address is the connection's.
   */
  trustProxy: string | undefined;
  /** Hosts a webhook may target over plain http, and that may resolve to private addresses (SPEC 11). */
  webhookAllowedHttpHosts: string[];
}

/** Settings that cannot be used, one message per variable: the entry points print it and stop. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ConfigError';
  }
}

/**
 * DATABASE_URL with a SQLite path made absolute against the repository root (SPEC 9), whatever folder the
 * program was started from (`npm start` runs in apps/api): `file:data/x.sqlite` and `data/x.sqlite` are the
 * same file for the server, the admin command line and a person reading the README.
 */
function databaseUrlOf(raw: string | undefined): string {
  if (raw === undefined) return `file:${resolve(REPO_ROOT, 'data/patients.sqlite')}`;
  if (/^postgres(ql)?:\/\//i.test(raw) || raw === ':memory:') return raw;
  const path = raw.startsWith('file:') ? raw.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : raw;
  return `file:${resolve(REPO_ROOT, path)}`;
}

export function readConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = environment.safeParse(env);
  if (!parsed.success) throw new ConfigError(issueMessages(parsed.error));
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: databaseUrlOf(e.DATABASE_URL),
    production,
    seedDemo: !production && e.SEED_DEMO !== 'false',
    tokenSecret: e.TOKEN_SECRET,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    syncTickSeconds: e.SYNC_TICK_SECONDS,
    syncLeaseSeconds: e.SYNC_LEASE_SECONDS,
    connectorSecretsKey: e.CONNECTOR_SECRETS_KEY,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    webhookAllowedHttpHosts: e.WEBHOOK_ALLOWED_HTTP_HOSTS?.split(',') ?? [],
  });
}
