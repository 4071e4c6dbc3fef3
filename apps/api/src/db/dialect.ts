// Where SQLite's planner must be told which access path to take. Without statistics, or with statistics from
// when the table was much smaller, it may scan a table or pick a poor index for queries whose right plan does
// not depend on the data at all; `INDEXED BY` and `NOT INDEXED` fix the choice (plans.int.test.ts checks each
// hot query in every state of the statistics). PostgreSQL's planner holds these plans without statistics, so
// there the table is named plainly.
import type { Knex } from 'knex';

const isSqlite = (db: Knex) => db.client.config.client === 'better-sqlite3';

/** `table` read through `index` on SQLite. */
export function tableIndexedBy(db: Knex, table: string, index: string): Knex.Raw | string {
  return isSqlite(db) ? db.raw('?? INDEXED BY ??', [table, index]) : table;
}

/**
 * `ids` (a list, or a query of ids) as a derived table `m(id)`, to drive a join that reads each row by its
 * primary key (`FROM m CROSS JOIN patients ON patients.id = m.id`). `id IN (...)` leaves the choice to the
 * planner, which with statistics from a much smaller table scanned it instead.
 */
export function idList(db: Knex, ids: Knex.QueryBuilder | readonly number[]): Knex.Raw {
  if (!Array.isArray(ids)) return db.raw('(?) AS m', [ids as Knex.QueryBuilder]);
  return isSqlite(db)
    ? db.raw('(SELECT value AS id FROM json_each(?)) AS m', [JSON.stringify(ids)])
    : db.raw('unnest(?::int[]) AS m(id)', [ids as number[]]);
}

/** A join whose order SQLite keeps as written (`CROSS JOIN ... ON`); PostgreSQL's plain join. */
export function crossJoin(db: Knex): string {
  return isSqlite(db) ? 'CROSS JOIN' : 'JOIN';
}
