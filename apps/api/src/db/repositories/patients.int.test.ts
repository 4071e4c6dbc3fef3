// The batched insert used by bulk import writes patients, their location and their name index like insert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, ENGINES, type Harness, startHarness, type Tenant } from '../../../test/harness';
import { patientsRepo } from './patients';

describe.each(ENGINES)('patientsRepo.insertMany on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'bulk');
  });
  afterAll(() => h.stop());

  it('inserts more than one chunk, each findable by name and email at its location', async () => {
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      first_name: i === 1202 ? 'Zebulon' : `Person${i}`,
      last_name: i === 1202 ? 'Quackenbush' : 'Bulk',
      email: `bulk${i}@example.com`,
      phone_number: '2125550100',
      date_of_birth: '1980-01-01',
      gender: 'Male' as const,
    }));
    const inserted = await h.server.db.knex.transaction((trx) =>
      patientsRepo(trx).insertMany(t.institutionId, t.locationId, rows),
    );
    expect(inserted).toHaveLength(1203);
    expect(new Set(inserted.map((r) => r.id)).size).toBe(1203);
    const search = (query: Record<string, string | number | boolean>) =>
      call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId, ...query },
        auth: `Bearer ${t.apiKey}`,
      });
    const byName = await search({ name: 'Zebulon Quakenbush', location_strict: true });
    expect(byName.body.data.patients.map((p: any) => p.email)).toEqual(['bulk1202@example.com']);
    expect((await search({ email: 'bulk17@example.com' })).body.data.patients[0].first_name).toBe('Person17');
    expect((await search({ location_strict: true })).body.count).toBe(1203);
  });
});
