// Opens the database named by DATABASE_URL: a SQLite file (the embedded default) or PostgreSQL.
import { isAbsolute, resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { ANALYSIS_LIMIT, startMaintenance } from './maintenance';
import { migrationSource } from './migrations';
import { prepareSqliteFolder } from './preflight';
import { adaptSqliteClient } from './sqliteClient';
import { DIRECT_WRITE_WAIT_MS } from './writes';

// PostgreSQL returns bigint (count(*), bigserial) as strings; ids and counts are JSON numbers on every
// engine (SPEC 2), and ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Engine = 'sqlite' | 'postgres';

export interface Database {
  /** Writes, and the reads that belong to a write. On SQLite: the one writer connection. */
  knex: Knex;
  /**
   * Reads outside any write (search, reads of a patient, lists, authentication). On SQLite a connection of
   * its own, so a read never queues behind a write in progress or one waiting for another process's lock
   * (WAL: readers and the writer never block each other). On PostgreSQL the same pool as `knex`.
   */
  read: Knex;
  engine: Engine;
  /** Where the data lives, without credentials, for the start-up banner. */
  description: string;
  /** The URL it was opened with (may hold credentials: never log it). Sync's lock opens its own connection. */
  url: string;
  /** Closes every connection. */
  close(): Promise<void>;
  /** Told by the write queue after each commit (SQLite servers: schedules a checkpoint, see maintenance.ts). */
  committed?(): void;
}

export interface OpenOptions {
  /**
   * `server`: waits for SQLite's write lock are asynchronous retries (see writes.ts), never a busy_timeout
   * sleeping inside the synchronous driver with the event loop stopped. `tool` (admin CLI, bench): a
   * blocking wait of up to 10 s is fine, nothing else runs in the process.
   */
  role?: 'server' | 'tool';
}

export function engineOf(url: string): Engine {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** `file:/abs/path`, `file:relative`, or a plain path, resolved against the working directory. */
export function sqlitePath(url: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : url;
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  if (engineOf(url) === 'postgres') {
    const k = knex({
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
    });
    return {
      engine: 'postgres',
      url,
      description: url.replace(/\/\/[^@/]*@/, '//'),
      knex: k,
      read: k,
      close: () => k.destroy(),
    };
  }
  if (url === ':memory:') return inMemory();
  const filename = sqlitePath(url);
  prepareSqliteFolder(filename, url);
  const server = options.role === 'server';
  // The writer: WAL so readers never block it, real foreign keys, and a 64 MiB page cache (the default 2 MiB
  // thrashes once the name index outgrows it, near 100k patients). A server's writer never sleeps on a lock
  // (its write queue turns busy_timeout to 0 for its own transactions, see writes.ts; a write made outside the
  // queue, as tests do, waits up to DIRECT_WRITE_WAIT_MS); a tool's waits up to 10 s for the server's writes.
  // A server's WAL is checkpointed by a thread of its own (maintenance.ts), not inside its writes' COMMITs;
  // the WAL file is cut back to 64 MiB after a checkpoint lets it start over. analysis_limit bounds the
  // ANALYZE that `PRAGMA optimize` may run when the connection closes.
  const writer = sqliteKnex(
    filename,
    false,
    `PRAGMA busy_timeout = ${server ? DIRECT_WRITE_WAIT_MS : 10_000}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA analysis_limit = ${ANALYSIS_LIMIT};${server ? ' PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;' : ''}`,
  );
  const maintenance = server ? startMaintenance(filename, writer) : undefined;
  // Made on first use (after migrations have created the file and its WAL): read-only, so a write sent
  // here by mistake fails loudly instead of racing the writer. A reader only waits when SQLite itself is
  // recovering the WAL, briefly.
  let reader: Knex | undefined;
  const read = () => {
    reader ??= sqliteKnex(
      filename,
      true,
      'PRAGMA busy_timeout = 100; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;',
    );
    return reader;
  };
  // Closing the writer closes the reader too: code that only knows `knex` (the bench, older callers) must not
  // leave a connection open that keeps the process alive.
  const writerClient = writer.client as { destroy(callback?: unknown): Promise<void> };
  const destroyWriter = writerClient.destroy.bind(writerClient);
  writerClient.destroy = async (callback?: unknown) => {
    // SQLite's advice for every connection that wrote: `PRAGMA optimize` before closing (maintenance.ts).
    await writer.raw('PRAGMA optimize').catch(() => {});
    await maintenance?.close();
    await reader?.destroy();
    return destroyWriter(callback);
  };
  return {
    engine: 'sqlite',
    url,
    description: filename,
    knex: writer,
    get read() {
      return read();
    },
    close: () => writer.destroy(),
    committed: maintenance?.wrote,
  };
}

/**
 * `:memory:`: a database that lives as long as its one connection, for tests of a use case that need no
 * server and no file. Reads and writes share the connection (a second one would see another database).
 */
function inMemory(): Database {
  const k = sqliteKnex(':memory:', false, 'PRAGMA foreign_keys = ON;');
  return {
    engine: 'sqlite',
    url: ':memory:',
    description: 'in memory',
    knex: k,
    read: k,
    close: () => k.destroy(),
  };
}

/** One better-sqlite3 connection behind knex, set up with `pragmas` (see sqliteClient.ts for the rest). */
function sqliteKnex(filename: string, readonly: boolean, pragmas: string): Knex {
  return adaptSqliteClient(
    knex({
      client: 'better-sqlite3',
      connection: { filename, options: { readonly } },
      useNullAsDefault: true,
      pool: {
        // One connection: better-sqlite3 is synchronous, a second would only take turns with the first.
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) {
          try {
            conn.exec(pragmas);
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    }),
  );
}

/** better-sqlite3's Database, as far as we use it: synchronous, so each query costs microseconds, not a
 * thread-pool round trip (measured: 0.05 ms per statement through knex, against 0.2 ms with node-sqlite3). */
interface SqliteConnection {
  exec(sql: string): void;
}

/** The database was upgraded by a newer version of the code than this one: refused, never half-used (SPEC 9). */
export class DatabaseTooNewError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `the database was upgraded by a newer version of patients (it has migration ${unknown.at(-1)}, which this version does not know); run that version, or restore a backup taken before the upgrade`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

export async function migrate(db: Database): Promise<void> {
  // Migrations this code does not know mean a newer version wrote the schema: say so, rather than knex's
  // "migration directory is corrupt" trace.
  if (await db.knex.schema.hasTable('knex_migrations')) {
    const known = new Set(await migrationSource.getMigrations([]));
    const applied: Array<{ name: string }> = await db.knex('knex_migrations').select('name').orderBy('id');
    const unknown = applied.map((r) => r.name).filter((n) => !known.has(n));
    if (unknown.length) throw new DatabaseTooNewError(unknown);
  }
  await db.knex.migrate.latest({ migrationSource });
}

export { withBirthDateLocks, withInstitutionLock } from './writes';

/** Whether the database answers (`GET /healthz`), on the connection reads use. */
export async function databaseAnswers(db: Database): Promise<boolean> {
  try {
    await db.read.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Tunes a tool's connection for a bulk import. SQLite, this connection only: a cache that holds the growing
 * indexes, and fewer WAL checkpoints (each rewrites the pages the batches since the last one touched).
 */
export async function tuneForBulkImport(db: Database): Promise<void> {
  if (db.engine !== 'sqlite') return;
  await db.knex.raw('PRAGMA cache_size = -524288');
  await db.knex.raw('PRAGMA wal_autocheckpoint = 16384');
}
