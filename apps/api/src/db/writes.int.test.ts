// Write serialisation across units and processes (writes.ts): creates of different birth dates side by side
// on PostgreSQL, the same date one after the other, and long work (an import) seeing that a writer waits.
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase, type TestDatabase } from '../../test/harness';
import { type Database, migrate, openDatabase } from './connect';
import { institutionsRepo } from './repositories/institutions';
import { othersWaiting, withBirthDateLocks, withInstitutionLock } from './writes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds (bounded: 200 tries), for states another connection reaches asynchronously. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await sleep(10);
  }
  return false;
}

/** A promise and the function that settles it, to hold a transaction open until the test lets go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe.each(ENGINES)('%s: write locks', (engine) => {
  let database: TestDatabase;
  const opened: Database[] = [];
  const open = async (role: 'server' | 'tool') => {
    const db = openDatabase(database.url, { role });
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    await database.drop();
  });

  async function setUp() {
    database = await freshDatabase(engine);
    const tool = await open('tool');
    await migrate(tool);
    const inst = await institutionsRepo(tool.knex).create('locks', 'Locks Dental');
    return { tool, institutionId: inst.id };
  }

  it('tells long work that another writer waits for the lock, and not before', async () => {
    const { tool, institutionId } = await setUp();
    const server = await open('server');
    const hold = gate();
    const seen: boolean[] = [];
    let waiterDone = false;
    const long = withInstitutionLock(tool, institutionId, async (trx) => {
      seen.push(await othersWaiting(tool, trx, institutionId));
      // The waiter starts only now, while this transaction holds the lock.
      const waiter = withBirthDateLocks(server, institutionId, ['1980-01-01'], async () => {
        waiterDone = true;
      });
      seen.push(await eventually(() => othersWaiting(tool, trx, institutionId)));
      hold.open();
      return { waiter }; // wrapped: returning the promise itself would make the commit wait for it
    });
    await hold.opened;
    const { waiter } = await long;
    await waiter;
    expect(seen).toEqual([false, true]);
    expect(waiterDone).toBe(true);
  });

  it.runIf(engine === 'postgres')(
    'runs creates of different birth dates side by side, and of the same date one after the other',
    async () => {
      const { institutionId } = await setUp();
      const server = await open('server');
      const first = gate();
      const order: string[] = [];
      const a = withBirthDateLocks(server, institutionId, ['1980-01-01'], async () => {
        order.push('a start');
        await first.opened;
        order.push('a end');
      });
      await eventually(async () => order.includes('a start'));
      // Another date: goes through while `a` still holds its lock.
      await withBirthDateLocks(server, institutionId, ['1990-05-05'], async () => {
        order.push('other date');
      });
      // The same date: waits for `a`.
      const same = withBirthDateLocks(server, institutionId, ['1980-01-01'], async () => {
        order.push('same date');
      });
      await sleep(100);
      expect(order).toEqual(['a start', 'other date']);
      first.open();
      await Promise.all([a, same]);
      expect(order).toEqual(['a start', 'other date', 'a end', 'same date']);
    },
  );

  it.runIf(engine === 'sqlite')(
    'commits the units queued together, and undoes only a failing one',
    async () => {
      const { institutionId } = await setUp();
      const server = await open('server');
      const names = ['one', 'two', 'three', 'four'];
      const results = await Promise.allSettled(
        names.map((name) =>
          withInstitutionLock(server, institutionId, async (trx) => {
            await trx('secrets').insert({ name: `unit-${name}`, value: name });
            if (name === 'three') throw new Error('unit three fails');
            return name;
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const stored = await server
        .read('secrets')
        .where('name', 'like', 'unit-%')
        .orderBy('value')
        .pluck('value');
      expect(stored).toEqual(['four', 'one', 'two']);
    },
  );
});
