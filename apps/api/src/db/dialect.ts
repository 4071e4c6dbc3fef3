// Where SQLite's planner must be told which access path to take. Without statistics, or with statistics from
// when the table was much smaller, it may scan a table or pick a poor index for queries whose right plan does
// not depend on the data at all; `INDEXED BY` and `NOT INDEXED` fix the choice (plans.int.test.ts checks each
// hot query in every state of the statistics). PostgreSQL's planner holds most of these plans without
// statistics, so there the table is named plainly; where it did not (a join driven by an id list), the query
// takes a shape it plans well in every state.
import type { Knex } from 'knex';

/** Which engine a connection speaks: the one place the driver's name is looked at. */
export const isSqlite = (db: Knex) => db.client.config.client === 'better-sqlite3';
export const isPostgres = (db: Knex) => !isSqlite(db);

/** `table` read through `index` on SQLite. */
export function tableIndexedBy(db: Knex, table: string, index: string): Knex.Raw | string {
  return isSqlite(db) ? db.raw('?? INDEXED BY ??', [table, index]) : table;
}

/**
 * The patients whose ids are `ids`, each read by its primary key whatever the
 * planner's statistics. SQLite: the ids as a derived table `m(id)` driving `CROSS JOIN patients`, an order
 * it keeps as written (`id IN (...)` with statistics from a much smaller table scanned the table). PostgreSQL:
 * a primary-key probe per id in a `LATERAL` subquery fenced with `OFFSET 0`, so that the institution and
 * the filters are checked on the rows found and cannot drive the plan (a plain join, or `id = ANY(...)`,
 * read the institution's whole index range without statistics, which guess an institution holds 0.5% of
 * the table, and became a hash or merge join over the whole table with them). A list, never a query of ids:
 * joined to a query, PostgreSQL without statistics ran the query once per patient (patientSearch.ts).
 */
export function patientsById(db: Knex, ids: readonly number[]): Knex.QueryBuilder {
  if (isSqlite(db)) {
    return db
      .from(db.raw('(SELECT value AS id FROM json_each(?)) AS m', [JSON.stringify(ids)]))
      .joinRaw('CROSS JOIN patients ON patients.id = m.id');
  }
  return db.from(
    db.raw(
      'unnest(?::int[]) AS m(id) CROSS JOIN LATERAL (SELECT * FROM patients WHERE patients.id = m.id OFFSET 0) AS patients',
      [ids as number[]],
    ),
  );
}
