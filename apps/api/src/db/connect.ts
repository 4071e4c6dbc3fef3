// Opens the database named by DATABASE_URL: a SQLite file (the embedded default) or PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations';

// PostgreSQL returns bigint (count(*), bigserial) as strings; ids and counts are JSON numbers on every
// engine (SPEC 2), and ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Engine = 'sqlite' | 'postgres';

export interface Database {
  knex: Knex;
  engine: Engine;
  /** Where the data lives, without credentials, for the start-up banner. */
  description: string;
  /** The URL it was opened with (may hold credentials: never log it). Sync's lock opens its own connection. */
  url: string;
}

export function engineOf(url: string): Engine {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** `file:/abs/path`, `file:relative`, or a plain path, resolved against the working directory. */
export function sqlitePath(url: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : url;
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

export function openDatabase(url: string): Database {
  if (engineOf(url) === 'postgres') {
    return {
      engine: 'postgres',
      url,
      description: url.replace(/\/\/[^@/]*@/, '//'),
      knex: knex({
        client: 'pg',
        connection: url,
        pool: {
          min: 0,
          max: 10,
          // No JIT: its compile time (about 100 ms) is spent whenever a plan's cost estimate is large, which
          // a name search's join over a thousand key prefixes always is, though it runs in a millisecond.
          // Short OLTP statements are what this service runs; JIT pays only for long analytic ones.
          afterCreate(conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) {
            conn.query('SET jit = off').then(
              () => done(null, conn),
              (err: Error) => done(err, conn),
            );
          },
        },
      }),
    };
  }
  const filename = sqlitePath(url);
  mkdirSync(dirname(filename), { recursive: true });
  return {
    engine: 'sqlite',
    url,
    description: filename,
    knex: knex({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        // Every connection: wait for a lock instead of failing with SQLITE_BUSY (the admin CLI and
        // other processes share the file), WAL so readers never block the writer, real foreign keys, and a
        // 64 MiB page cache (the default 2 MiB thrashes once the name index outgrows it, near 100k patients).
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) {
          try {
            conn.exec(
              'PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;',
            );
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    }),
  };
}

/** better-sqlite3's Database, as far as we use it: synchronous, so each query costs microseconds, not a
 * thread-pool round trip (measured: 0.05 ms per statement through knex, against 0.2 ms with node-sqlite3). */
interface SqliteConnection {
  exec(sql: string): void;
}

export async function migrate(db: Database): Promise<void> {
  await db.knex.migrate.latest({ migrationSource });
}

/**
 * Runs `work` in a transaction that holds the institution's write lock from its first statement, so that
 * check-then-write units (duplicate check + insert, booking) are serialised per institution on both engines.
 * PostgreSQL: `SELECT ... FOR UPDATE` on the institution row. SQLite: a write as the first statement takes
 * the database's RESERVED lock at once, which is what `BEGIN IMMEDIATE` does; because no read lock was held
 * before it, busy_timeout applies and a competing process waits instead of failing with SQLITE_BUSY.
 */
export async function withInstitutionLock<T>(
  db: Database,
  institutionId: number,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  return db.knex.transaction(async (trx) => {
    if (db.engine === 'postgres') {
      await trx('institutions').where({ id: institutionId }).forUpdate().select('id');
    } else {
      await trx('institutions')
        .where({ id: institutionId })
        .update({ lock_version: trx.raw('lock_version + 1') });
    }
    return work(trx);
  });
}
