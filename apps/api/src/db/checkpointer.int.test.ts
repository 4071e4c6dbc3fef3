// A SQLite server's WAL is copied back into the database by the checkpoint thread, not by its writes.
import { statSync } from 'node:fs';
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
