// Integration-test harness: a real server on a random loopback port over a real database — a fresh SQLite
// file, or a fresh PostgreSQL database when PG_TEST_URL names a server (CI sets it when one answers).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { type Database, migrate, openDatabase } from '../src/db/connect';
import { institutionsRepo } from '../src/db/repositories/institutions';
import { practiceRepo } from '../src/db/repositories/practice';
import { type RunningServer, type ServerOptions, startServer } from '../src/server';

export type EngineName = 'sqlite' | 'postgres';

/** The engines this run covers: SQLite always, PostgreSQL when PG_TEST_URL is set. */
export const ENGINES: EngineName[] = process.env.PG_TEST_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(engine: EngineName): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'patients-test-'));
    return {
      url: `file:${join(dir, 'test.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.PG_TEST_URL!;
  const name = `patients_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface Tenant {
  subdomain: string;
  institutionId: number;
  locationId: number;
  otherLocationId: number;
  providerId: number;
  /** Works only at the other location. */
  otherProviderId: number;
  apiKey: string;
}

export async function createTenant(server: RunningServer, subdomain: string): Promise<Tenant> {
  const { knex } = server.db;
  const inst = await institutionsRepo(knex).create(subdomain, `${subdomain} Dental`);
  const practice = practiceRepo(knex);
  const loc = await practice.createLocation(inst.id, 'Main St');
  const other = await practice.createLocation(inst.id, 'Elm St');
  const provider = await practice.createProvider(inst.id, 'Dr. Jane Doe', [loc.id]);
  const otherProvider = await practice.createProvider(inst.id, 'Dr. Elm', [other.id]);
  const apiKey = await institutionsRepo(knex).createApiKey(inst.id);
  return {
    subdomain,
    institutionId: inst.id,
    locationId: loc.id,
    otherLocationId: other.id,
    providerId: provider.id,
    otherProviderId: otherProvider.id,
    apiKey,
  };
}

export interface Harness {
  server: RunningServer;
  database: TestDatabase;
  stop(): Promise<void>;
}

export async function startHarness(
  engine: EngineName,
  options: Partial<ServerOptions> = {},
): Promise<Harness> {
  const database = await freshDatabase(engine);
  const server = await startServer({
    databaseUrl: database.url,
    logLevel: 'silent',
    tokenSecret: 'test-secret',
    // Test set-up may read the environment: a test that seals connector keys sets this first.
    connectorSecretsKey: process.env.CONNECTOR_SECRETS_KEY,
    // `call` gives each request an address of its own (X-Forwarded-For from loopback), so that the tests that
    // check refusals of bad credentials do not lock the rest of a file out (SPEC 3's lockout has its own test).
    trustProxy: 'loopback',
    ...options,
  });
  return {
    server,
    database,
    async stop() {
      await server.close();
      await database.drop();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: {
    code: boolean;
    description: string;
    error: string[];
    data: any;
    count?: number;
  };
}

let calls = 0;

/** A REST call as an outside client makes it: real HTTP, JSON in and out. */
export async function call(
  server: RunningServer,
  method: string,
  path: string,
  opts: {
    query?: Record<string, string | number | boolean | undefined>;
    body?: unknown;
    auth?: string | null;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) q.set(k, String(v));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-forwarded-for': `10.${(++calls >> 16) & 255}.${(calls >> 8) & 255}.${calls & 255}`,
  };
  if (opts.auth !== null && opts.auth !== undefined) headers.authorization = opts.auth;
  Object.assign(headers, opts.headers);
  const res = await fetch(`${server.url}${path}${q.size ? `?${q}` : ''}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

let counter = 0;
/** A valid create body; each call gets a distinct person unless overridden. */
export function newPatient(overrides: Record<string, unknown> = {}, bio: Record<string, unknown> = {}) {
  counter++;
  return {
    first_name: 'Alice',
    last_name: `Tester${String.fromCharCode(97 + (counter % 26))}${String.fromCharCode(97 + (Math.floor(counter / 26) % 26))}`,
    email: `alice${counter}@example.com`,
    ...overrides,
    bio: {
      phone_number: `212555${String(1000 + counter).slice(-4)}`,
      date_of_birth: `19${60 + (counter % 40)}-0${1 + (counter % 9)}-1${counter % 10}`,
      gender: 'Female',
      ...bio,
    },
  };
}

export interface ServiceDatabase {
  db: Database;
  institutionId: number;
  locationId: number;
  close(): Promise<void>;
}

/**
 * A database for a use case's test without a server: SQLite in memory (PostgreSQL: a fresh database),
 * migrated, with one institution and one location.
 */
export async function serviceDatabase(engine: EngineName, subdomain: string): Promise<ServiceDatabase> {
  const database: TestDatabase =
    engine === 'sqlite' ? { url: ':memory:', drop: async () => {} } : await freshDatabase(engine);
  const db = openDatabase(database.url, { role: 'server' });
  await migrate(db);
  const institutionId = (await institutionsRepo(db.knex).create(subdomain, `${subdomain} Dental`)).id;
  const locationId = (await practiceRepo(db.knex).createLocation(institutionId, 'Main')).id;
  return {
    db,
    institutionId,
    locationId,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

/** The apps/api folder: where the admin command line and the server run from. */
export const API_DIR = new URL('..', import.meta.url).pathname;

/** The admin command line on `databaseUrl`, as an administrator runs it: its JSON lines, parsed. */
export async function adminLines(databaseUrl: string, ...args: string[]): Promise<any[]> {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/admin.ts', ...args], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** A loopback port nothing listens on (for a server started as its own process). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
