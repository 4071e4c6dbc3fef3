// One database per (engine, population): made once from a generated file and reused by later runs, plus
// throw-away copies for the parts of a run that write (duplicate checks, creates).
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate, openDatabase } from './api';
import { readPatients, writePatients } from './files';
import { GENERATOR_VERSION, generatePatients, toRecord } from './generate';
import { type BenchTenant, ensureTenant, loadPatients, patientCount } from './load';

export type EngineName = 'sqlite' | 'postgres';

/** bench/out: generated files, databases and reports (git-ignored). */
export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'out');

/** The PostgreSQL server benchmarks create their databases on (its maintenance database). */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const BENCH_SUBDOMAIN = 'bench';

export function databaseUrl(engine: EngineName, name: string): string {
  if (engine === 'sqlite') return `file:${join(OUT_DIR, 'db', `${name}.sqlite`)}`;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function postgresAnswers(): Promise<boolean> {
  try {
    await withAdmin((c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

function sqliteFiles(name: string): string[] {
  const base = join(OUT_DIR, 'db', `${name}.sqlite`);
  return [base, `${base}-wal`, `${base}-shm`];
}

export async function databaseExists(engine: EngineName, name: string): Promise<boolean> {
  if (engine === 'sqlite') return existsSync(sqliteFiles(name)[0]!);
  return withAdmin(
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
}

export async function dropDatabase(engine: EngineName, name: string): Promise<void> {
  if (engine === 'sqlite') {
    for (const f of sqliteFiles(name)) rmSync(f, { force: true });
    return;
  }
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function createEmpty(engine: EngineName, name: string): Promise<void> {
  await dropDatabase(engine, name);
  if (engine === 'sqlite') mkdirSync(join(OUT_DIR, 'db'), { recursive: true });
  else await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
}

/** A fresh copy of `from` named `to` (every connection to `from` must be closed). */
export async function copyDatabase(engine: EngineName, from: string, to: string): Promise<string> {
  await dropDatabase(engine, to);
  if (engine === 'sqlite') {
    const [src] = sqliteFiles(from);
    const [dst] = sqliteFiles(to);
    copyFileSync(src!, dst!);
  } else {
    await withAdmin((c) => c.query(`CREATE DATABASE "${to}" TEMPLATE "${from}"`));
  }
  return databaseUrl(engine, to);
}

/** The generated population file for a size and seed, written on first use. */
export async function populationFile(size: number, seed: number): Promise<string> {
  const path = join(OUT_DIR, 'data', `patients-${size}-s${seed}-g${GENERATOR_VERSION}.csv`);
  if (!existsSync(path)) {
    await writePatients(
      `${path}.tmp`,
      (function* () {
        for (const p of generatePatients(size, seed)) yield toRecord(p);
      })(),
    );
    copyFileSync(`${path}.tmp`, path);
    rmSync(`${path}.tmp`);
  }
  return path;
}

export interface Population {
  engine: EngineName;
  name: string;
  url: string;
  size: number;
  tenant: BenchTenant;
  /** Seconds spent loading, or 0 when the database was reused. */
  loadSeconds: number;
}

/** The name of the database holding a population, for its purpose ("eval", "bench"), size and seed. */
export function populationName(purpose: string, size: number, seed: number): string {
  return `bench_${purpose}_${size}_s${seed}_g${GENERATOR_VERSION}`;
}

/**
 * The database `name` holding `size` generated patients (seed `seed`) in the bench institution: reused when
 * it already holds them, else made afresh. Migrations run either way, so an engine change re-keys it.
 */
export async function ensurePopulation(
  engine: EngineName,
  name: string,
  size: number,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<Population> {
  const url = databaseUrl(engine, name);
  if (await databaseExists(engine, name)) {
    const db = openDatabase(url);
    try {
      await migrate(db);
      const tenant = await ensureTenant(db, BENCH_SUBDOMAIN);
      if ((await patientCount(db, tenant.institutionId)) === size) {
        return { engine, name, url, size, tenant, loadSeconds: 0 };
      }
    } finally {
      await db.knex.destroy();
    }
  }
  await createEmpty(engine, name);
  const file = await populationFile(size, seed);
  const db = openDatabase(url);
  const started = performance.now();
  try {
    await migrate(db);
    const tenant = await ensureTenant(db, BENCH_SUBDOMAIN);
    let last = 0;
    await loadPatients(db, tenant.institutionId, tenant.locationId, readPatients(file), (n) => {
      if (n - last >= 50_000 || n === size) {
        last = n;
        const s = (performance.now() - started) / 1000;
        log(`  ${engine} ${name}: loaded ${n}/${size} (${s.toFixed(0)} s, ${(n / s).toFixed(0)} rows/s)`);
      }
    });
    if (engine === 'sqlite') await db.knex.raw('ANALYZE');
    else await db.knex.raw('VACUUM ANALYZE');
    return { engine, name, url, size, tenant, loadSeconds: (performance.now() - started) / 1000 };
  } finally {
    await db.knex.destroy();
  }
}

/** The engine's version string, for the machine line. */
export async function engineVersion(url: string): Promise<string> {
  const db = openDatabase(url);
  try {
    if (db.engine === 'sqlite') {
      const [row] = await db.knex.raw('SELECT sqlite_version() AS v');
      return `SQLite ${row.v}`;
    }
    const res = await db.knex.raw('SHOW server_version');
    return `PostgreSQL ${res.rows[0].server_version}`;
  } finally {
    await db.knex.destroy();
  }
}

/**
 * Reads a SQLite population's files once, so measurements start from the page cache a running server keeps
 * warm, not from disk: this machine reclaims pages left idle for minutes (DAMON), and a cold 1M database made
 * the LIKE scan 12 times slower. PostgreSQL keeps its own buffers and is left alone.
 */
export function warmPopulation(population: { engine: EngineName; name: string }): void {
  if (population.engine !== 'sqlite') return;
  const buffer = Buffer.allocUnsafe(8 * 2 ** 20);
  for (const file of sqliteFiles(population.name)) {
    if (!existsSync(file)) continue;
    const fd = openSync(file, 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}
