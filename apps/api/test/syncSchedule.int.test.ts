// The server's own sync schedule: an institution is synced when its interval has passed, not before, and
// never when its interval is 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReferencePatient } from '../src/connectors/reference';
import { connectorsRepo } from '../src/db/repositories/connectors';
import { createTenant, type Harness, startHarness, type Tenant } from './harness';

const frontDesk = (h: Harness, t: Tenant, first_name: string) =>
  addReferencePatient(h.server.db.knex, t.institutionId, {
    first_name,
    last_name: 'Scheduled',
    middle_name: null,
    preferred_name: null,
    email: null,
    phone_number: null,
    date_of_birth: '1980-01-01',
    gender: null,
  });

const copies = async (h: Harness, t: Tenant) =>
  (await h.server.db.knex('patients').where({ institution_id: t.institutionId }).select('first_name')).map(
    (r) => r.first_name,
  );

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scheduled sync', () => {
  let h: Harness;
  let due: Tenant;
  let off: Tenant;

  beforeAll(async () => {
    h = await startHarness('sqlite', { syncTickMs: 100 });
    // Created and configured within one tick's time, before the schedule first looks.
    due = await createTenant(h.server, 'due');
    off = await createTenant(h.server, 'off');
    await connectorsRepo(h.server.db.knex).save(off.institutionId, {
      type: 'reference',
      settings: { sync_interval_minutes: 0 },
      sealed_secrets: null,
    });
    await frontDesk(h, due, 'First');
    await frontDesk(h, off, 'Never');
  });
  afterAll(async () => h.stop());

  it('syncs an institution that has never synced, then waits for its interval', async () => {
    expect(
      await eventually(
        () => copies(h, due),
        (n) => n.includes('First'),
      ),
    ).toContain('First');
    await frontDesk(h, due, 'Second');
    // Ten ticks later the 5-minute interval has not passed: no second sync yet.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await copies(h, due)).not.toContain('Second');
  });

  it('never syncs an institution whose interval is 0', async () => {
    expect(await copies(h, off)).toEqual([]);
  });
});
