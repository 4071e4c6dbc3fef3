// Checks, before anything else runs, that DATABASE_URL names a database this program can use (SPEC 9 "Settings
// fail fast"): a SQLite file whose folder can be made and written, or a PostgreSQL server that answers. Each
// problem is one line naming the variable, what it holds (never a password) and what to do; a problem found
// later, by knex in the middle of a migration, would be a stack trace or, for a server that does not answer,
// a wait of a minute or more.
import { closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { engineOf, sqlitePath } from './connect';

/** How long a PostgreSQL server may take to answer the first connection (SPEC 9: stop within 10 s). */
export const CONNECT_TIMEOUT_MS = 5_000;

/** DATABASE_URL names a database that cannot be used; the message is the one line to print. */
export class DatabaseUnusableError extends Error {
  constructor(url: string, problem: string) {
    super(`DATABASE_URL ${withoutPassword(url)}: ${problem}`);
    this.name = 'DatabaseUnusableError';
  }
}

/** The URL as it may be shown: a password in it is replaced by `***`. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

export async function checkDatabase(url: string): Promise<void> {
  if (url === ':memory:') return;
  if (engineOf(url) === 'postgres') return checkPostgres(url);
  checkSqlite(url);
}

function checkSqlite(url: string): void {
  const file = sqlitePath(url);
  prepareSqliteFolder(file, url);
  if (!existsSync(file)) return;
  if (!statSync(file).isFile())
    throw new DatabaseUnusableError(url, `${file} is a folder, not a SQLite file`);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new DatabaseUnusableError(
      url,
      code === 'SQLITE_NOTADB'
        ? `${file} is not a SQLite database (point DATABASE_URL at another file)`
        : `${file} cannot be opened (${code ?? (err as Error).message})`,
    );
  } finally {
    db?.close();
  }
}

/**
 * Makes the folder of a SQLite file, one level at a time, and checks that this user can write there (SQLite
 * writes its -wal and -shm files beside the database). Not `mkdirSync(..., { recursive: true })`: on a path
 * under /proc that never returns.
 */
export function prepareSqliteFolder(file: string, url = `file:${file}`): void {
  const folder = dirname(file);
  const missing: string[] = [];
  let existing = folder;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory())
    throw new DatabaseUnusableError(url, `${existing} is a file, so the folder ${folder} cannot be made`);
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      throw new DatabaseUnusableError(
        url,
        `the folder ${dir} cannot be made (${(err as NodeJS.ErrnoException).code}); choose a folder this user can write`,
      );
    }
  }
  // A file made and removed says more than access(W_OK): root passes that on a read-only file system.
  const probe = join(folder, `.patients-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    throw new DatabaseUnusableError(
      url,
      `this user cannot write in ${folder} (${(err as NodeJS.ErrnoException).code}); choose a folder this user can write`,
    );
  }
}

async function checkPostgres(url: string): Promise<void> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new DatabaseUnusableError(url, 'is not a URL (expected postgres://user@host:5432/database)');
  }
  const where = `${target.hostname || 'localhost'}:${target.port || 5432}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection that fails after connecting (the server restarting) is reported by the query; without a
  // listener the 'error' event would end the process.
  client.on('error', () => {});
  const started = performance.now();
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    // pg words its connection timeout differently from version to version; the clock does not.
    const timedOut = performance.now() - started >= CONNECT_TIMEOUT_MS - 100;
    throw new DatabaseUnusableError(
      url,
      timedOut
        ? `no answer from ${where} within ${CONNECT_TIMEOUT_MS / 1000} s; check the host, port and firewall`
        : postgresProblem(err as NodeJS.ErrnoException, where, target),
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function postgresProblem(err: NodeJS.ErrnoException, where: string, target: URL): string {
  const database = decodeURIComponent(target.pathname.slice(1)) || decodeURIComponent(target.username);
  switch (err.code) {
    case 'ECONNREFUSED':
      return `no PostgreSQL answers at ${where} (connection refused); start it, or fix the host and port`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${target.hostname} is not known`;
    case '3D000':
      return `the database "${database}" does not exist on ${where}; create it (createdb ${database})`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the user "${decodeURIComponent(target.username)}" (${err.message})`;
    case undefined:
      if (/terminated unexpectedly/i.test(err.message))
        return `the connection to ${where} was closed before PostgreSQL answered (is it PostgreSQL, and may this host connect in pg_hba.conf?)`;
      break;
    case '57P03':
      return `PostgreSQL at ${where} is starting up or shutting down; try again`;
  }
  return `PostgreSQL at ${where} cannot be used: ${err.message}`;
}
