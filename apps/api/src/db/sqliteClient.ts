// What knex's better-sqlite3 client does not give a server: prepared statements kept per connection (knex
// prepares every statement again, each time, which was 8% of a create's profile), and telling SQLITE_BUSY
// apart. Statements are looked up by their SQL text; the cache is bounded because IN lists of varying length
// make new texts.
import type { Knex } from 'knex';

/** Statements kept per connection; the hot paths use a few dozen distinct texts. */
const STATEMENTS_PER_CONNECTION = 500;

interface Statement {
  reader: boolean;
}
interface RawConnection {
  prepare(sql: string): Statement;
}

/** Keeps `connection.prepare`'s statements, least recently used dropped first. */
function cachePreparedStatements(connection: RawConnection): void {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, Statement>();
  connection.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // re-inserted below: Map order is recency order
    } else {
      statement = prepare(sql);
      if (cache.size >= STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
}

/** Gives a better-sqlite3 knex instance kept statements (its client changed in place, the dialect unchanged). */
export function adaptSqliteClient(knex: Knex): Knex {
  const client = knex.client as unknown as { acquireRawConnection: () => Promise<RawConnection> };
  const acquire = client.acquireRawConnection.bind(client);
  client.acquireRawConnection = async () => {
    const connection = await acquire();
    cachePreparedStatements(connection);
    return connection;
  };
  return knex;
}

/** SQLITE_BUSY and its extended codes: another connection holds the lock this statement needed. */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
