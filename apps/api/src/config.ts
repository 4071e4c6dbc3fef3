// Every setting of the service (SPEC 9): read from the environment once, by the entry points (`npm start`,
// the admin command line), checked with one zod schema, and handed down as one frozen object. Nothing else
// reads process.env; tests and tools pass their settings in.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueMessages } from '@patients/core';
import { z } from 'zod';

/** The repository root: `data/` there holds the default SQLite file. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A variable set to nothing is a variable not set (`DATABASE_URL= npm start`). */
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(unsetIfEmpty, z.string().optional());
/** A whole number from `min` to `max` (as text in the environment), `what` naming it in the message. */
const wholeNumber = (what: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: `must be ${what}` })
      .int({ error: `must be ${what}` })
      .min(min, { error: `must be ${what}, at least ${min}` })
      .max(max, { error: `must be ${what}, at most ${max}` })
      .default(fallback),
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
  SEED_DEMO: z.preprocess(
    unsetIfEmpty,
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  TOKEN_SECRET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .min(32, { error: (issue) => `must be at least 32 characters (it has ${String(issue.input).length})` })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ),
  SYNC_TICK_SECONDS: wholeNumber('a number of seconds', 30, 0),
  SYNC_LEASE_SECONDS: wholeNumber('a number of seconds', 60, 1),
  CONNECTOR_SECRETS_KEY: optionalText,
  RATE_LIMIT_PER_MINUTE: wholeNumber('a whole number of requests', 6000, 1),
  TRUST_PROXY: optionalText,
  WEBHOOK_ALLOWED_HTTP_HOSTS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[\w.:-]+(,[\w.:-]+)*$/, {
        error: 'must be host names separated by commas (no spaces, no schemes)',
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

export function readConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = environment.safeParse(env);
  if (!parsed.success) throw new ConfigError(issueMessages(parsed.error));
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? `file:${resolve(REPO_ROOT, 'data/patients.sqlite')}`,
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
