// One database per (engine, population): made once from a generated file and reused by later runs, plus
// throw-away copies for the parts of a run that write (duplicate checks, creates).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { writePatients } from './files';
import { GENERATOR_VERSION, generatePatients, toRecord } from './generate';
import { adminImport, type ProductTenant, setupTenant } from './product';
import { type RunningServer, startProductServer } from './server';

export type { BenchTenant, ProductTenant } from './product';

export type EngineName = 'sqlite' | 'postgres';

/** bench/out: generated files, databases and reports (git-ignored). */
export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'out');

/** The PostgreSQL server benchmarks create their databases on (its maintenance database): BENCH_PG_URL, else
 * PG_TEST_URL (as CI sets it), else the local one. */
export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ?? process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
  // Last: the file a waiting server writer touches beside the database (README "Bulk import").
  return [base, `${base}-wal`, `${base}-shm`, `${base}-writer-waiting`];
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
    // The main file and its WAL (what a stopped server left there is part of the database).
    const [src, srcWal] = sqliteFiles(from);
    const [dst, dstWal] = sqliteFiles(to);
    copyFileSync(src!, dst!);
    if (existsSync(srcWal!)) copyFileSync(srcWal!, dstWal!);
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
  tenant: ProductTenant;
  /** The generated file the population was imported from. */
  file: string;
  /** Seconds the import took (the admin command, start-up included), or 0 when the database was reused. */
  loadSeconds: number;
  /**
   * With `serve`, and only when the population was imported this run: the server that was running while
   * the import happened, still running (the state "right after the load"). The caller stops it.
   */
  server?: RunningServer;
}

/**
 * The name of the database holding a population, for its purpose ("eval", "bench"), size and seed. "import":
 * made by `admin import`, never analysed by hand (databases of the earlier hand-loaded and ANALYZEd kind had
 * names without it and are not reused).
 */
export function populationName(purpose: string, size: number, seed: number): string {
  return `bench_${purpose}_${size}_s${seed}_g${GENERATOR_VERSION}_import`;
}

/** What a population's database holds, kept beside the databases (no connection is needed to reuse one). */
export function markerFile(engine: EngineName, name: string): string {
  return join(OUT_DIR, 'db', `${engine}-${name}.json`);
}

interface Marker {
  size: number;
  seed: number;
  tenant: ProductTenant;
}

/**
 * The database `name` holding `size` generated patients (seed `seed`) in the bench institution: reused when
 * an earlier run made it (a practice's database persists too), else made afresh exactly as a user would:
 * an empty database, the admin command line's create-institution, create-location, create-provider and
 * create-api-key, then `admin import` of the generated CSV. Nothing else runs on it: no ANALYZE, no VACUUM,
 * no reading of its files to warm a cache. With `serve`, a fresh population is imported while the server
 * runs on it (started after the set-up, as a practice's server would be), and that server is returned.
 */
export async function ensurePopulation(
  engine: EngineName,
  name: string,
  size: number,
  seed: number,
  log: (line: string) => void = () => {},
  options: { serve?: boolean } = {},
): Promise<Population> {
  const url = databaseUrl(engine, name);
  const file = await populationFile(size, seed);
  const marker = markerFile(engine, name);
  if (existsSync(marker) && (await databaseExists(engine, name))) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as Marker;
    if (m.size === size && m.seed === seed) {
      return { engine, name, url, size, tenant: m.tenant, file, loadSeconds: 0 };
    }
  }
  rmSync(marker, { force: true });
  await createEmpty(engine, name);
  const tenant = await setupTenant(url, BENCH_SUBDOMAIN);
  const server = options.serve ? await startProductServer(url) : undefined;
  let loadSeconds = 0;
  try {
    log(`  ${engine} ${name}: admin import of ${size} patients${server ? ' (the server running)' : ''}`);
    const summary = await adminImport(url, tenant, file);
    loadSeconds = summary.seconds;
    log(
      `  ${engine} ${name}: imported ${summary.created} in ${summary.seconds.toFixed(1)} s (${(summary.created / summary.seconds).toFixed(0)} rows/s)`,
    );
    // The generator makes a few people the duplicate rule cannot tell apart (5 in 100,000): the import
    // refuses them, as it would a practice's.
    if (summary.created + summary.duplicates !== size || summary.created < size * 0.999) {
      throw new Error(
        `the import created ${summary.created} of ${size}: ${JSON.stringify(summary.reported)}`,
      );
    }
  } catch (e) {
    await server?.stop();
    throw e;
  }
  writeFileSync(marker, JSON.stringify({ size, seed, tenant } satisfies Marker));
  return { engine, name, url, size, tenant, file, loadSeconds, server };
}
/** The engine's version string, for the machine line (SQLite: the library the server links; PostgreSQL: asked
 * on the maintenance database, not the measured one). */
export async function engineVersion(url: string): Promise<string> {
  if (!/^postgres(ql)?:/.test(url)) {
    const memory = new Sqlite(':memory:');
    try {
      return `SQLite ${(memory.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v}`;
    } finally {
      memory.close();
    }
  }
  return withAdmin(
    async (c) => `PostgreSQL ${(await c.query('SHOW server_version')).rows[0].server_version}`,
  );
}

/**
 * The naive `LIKE '%first last%'` scan, a comparator only: on a read-only connection of its own that the
 * product would not have (SQLite opened read-only; PostgreSQL a plain client), sequential, after the
 * product's figures were taken (it reads the whole table, which warms the cache for whatever follows).
 */
export async function likeScanTimes(
  population: Population,
  names: readonly string[],
  budgetMs: number,
): Promise<number[]> {
  const iid = population.tenant.institutionId;
  const out: number[] = [];
  const started = performance.now();
  if (population.engine === 'sqlite') {
    const db = new Sqlite(population.url.replace(/^file:/, ''), { readonly: true, fileMustExist: true });
    try {
      const stmt = db.prepare(
        "SELECT id FROM patients WHERE institution_id = ? AND (first_name || ' ' || last_name) LIKE ?",
      );
      for (const name of names) {
        const t = performance.now();
        stmt.all(iid, `%${name}%`);
        out.push(performance.now() - t);
        if (performance.now() - started > budgetMs) break;
      }
    } finally {
      db.close();
    }
    return out;
  }
  const client = new pg.Client({ connectionString: population.url });
  await client.connect();
  try {
    for (const name of names) {
      const t = performance.now();
      await client.query(
        "SELECT id FROM patients WHERE institution_id = $1 AND (first_name || ' ' || last_name) ILIKE $2",
        [iid, `%${name}%`],
      );
      out.push(performance.now() - t);
      if (performance.now() - started > budgetMs) break;
    }
  } finally {
    await client.end();
  }
  return out;
}
