// A SQLite server's upkeep thread: it copies the WAL back into the database (not the server's writes) and
// gathers the planner's statistics.
import { statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/harness';
import { type Database, migrate, openDatabase, sqlitePath } from './connect';
import { institutionsRepo } from './repositories/institutions';
import { withInstitutionLock } from './writes';

let database: TestDatabase;
const opened: Database[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  await database.drop();
});

it('sqlite: checkpoints the writes of a server in the background, below the size SQLite would act on', async () => {
  database = await freshDatabase('sqlite');
  const tool = openDatabase(database.url);
  opened.push(tool);
  await migrate(tool);
  const { id } = await institutionsRepo(tool.knex).create('wal', 'WAL Dental');
  await tool.close();
  opened.pop();

  const server = openDatabase(database.url, { role: 'server' });
  opened.push(server);
  const file = sqlitePath(database.url);
  const before = statSync(file).size;
  // About 100 pages: a tenth of what SQLite's own automatic checkpoint waits for.
  await withInstitutionLock(server, id, async (trx) => {
    for (let i = 0; i < 40; i++) {
      await trx('secrets').insert({ name: `filler-${i}`, value: 'x'.repeat(9000) });
    }
  });
  expect(statSync(file).size).toBe(before); // still only in the WAL
  let grown = false;
  for (let i = 0; i < 100 && !grown; i++) {
    await new Promise((r) => setTimeout(r, 50));
    grown = statSync(file).size > before;
  }
  expect(grown).toBe(true);
});

it('sqlite: gathers the planner statistics of a database that has none, on its own', async () => {
  database = await freshDatabase('sqlite');
  const tool = openDatabase(database.url);
  await migrate(tool);
  const { id } = await institutionsRepo(tool.knex).create('stats', 'Stats Dental');
  const [location] = await tool
    .knex('locations')
    .insert({ institution_id: id, name: 'Main', created_at: '2026-01-01T00:00:00.000Z' })
    .returning('id');
  await tool.close();
  // Patients written by a bare connection, which (unlike ours) does not optimize when it closes.
  const bare = new BetterSqlite3(sqlitePath(database.url));
  const insert = bare.prepare(
    `INSERT INTO patients (institution_id, first_name, last_name, email, date_of_birth, created_location_id,
       demographics_defaulted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?)`,
  );
  bare.transaction(() => {
    for (let i = 0; i < 2000; i++) {
      const at = '2026-01-01T00:00:00.000Z';
      insert.run(
        id,
        `Given${i}`,
        `Family${i % 97}`,
        `p${i}@example.com`,
        `19${50 + (i % 50)}-01-01`,
        location.id,
        at,
        at,
      );
    }
  })();
  const patientStatistics = () =>
    bare.prepare("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").get()
      ? (bare.prepare("SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'patients'").get() as { n: number })
          .n
      : 0;
  expect(patientStatistics()).toBe(0);

  const server = openDatabase(database.url, { role: 'server' });
  opened.push(server);
  let rows = 0;
  for (let i = 0; i < 100 && rows === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    rows = patientStatistics();
  }
  bare.close();
  expect(rows).toBeGreaterThan(0);
});
