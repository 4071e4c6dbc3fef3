// SPEC 4.2 `q`: one search box; each part is read as the parameter it looks like and the parts are ANDed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, ENGINES, type Harness, startHarness, type Tenant } from './harness';

describe.each(ENGINES)('search box q on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  const ids: Record<string, number> = {};

  const create = async (tag: string, patient: Record<string, unknown>) => {
    const res = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient },
      auth: t.apiKey,
    });
    expect(res.status).toBe(201);
    ids[tag] = res.body.data.user.id;
  };
  const search = (q: string, extra: Record<string, string> = {}) =>
    call(h.server, 'GET', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId, q, per_page: 50, ...extra },
      auth: t.apiKey,
    });
  const idsOf = (res: Awaited<ReturnType<typeof search>>) =>
    res.body.data.patients.map((p: { id: number }) => p.id).sort((a: number, b: number) => a - b);

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'boxed');
    const bio = (phone: string, dob: string, gender = 'Male') => ({
      phone_number: phone,
      date_of_birth: dob,
      gender,
    });
    await create('john64', {
      first_name: 'Jonathan',
      last_name: 'Smithers',
      email: 'js64@example.com',
      bio: bio('2125550141', '1964-05-03'),
    });
    await create('john70', {
      first_name: 'John',
      last_name: 'Smithers',
      email: 'js70@example.com',
      bio: bio('2125550142', '1970-01-01'),
    });
    await create('jane', {
      first_name: 'Jane',
      last_name: 'Doerr',
      email: 'jane@example.com',
      bio: bio('2125550143', '1964-05-03', 'Female'),
    });
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('ANDs a name with a date in US, ISO or written form', async () => {
    for (const q of ['john smithers 05/03/1964', 'Smithers, Jon, 1964-05-03', 'jon smithers 3 May 1964']) {
      const res = await search(q);
      expect(res.status).toBe(200);
      expect(idsOf(res)).toEqual([ids.john64]);
      expect(res.body.data.patients[0].match.reasons).toContain('date of birth');
    }
  });

  it('finds by a name alone, as name does, and by a phone or email alone', async () => {
    expect(idsOf(await search('smithers john'))).toEqual([ids.john64, ids.john70].sort((a, b) => a! - b!));
    expect(idsOf(await search('(212) 555-0143'))).toEqual([ids.jane]);
    expect(idsOf(await search('JANE@example.com'))).toEqual([ids.jane]);
    // A birth date alone finds everyone born that day; a name narrows it.
    expect(idsOf(await search('5/3/1964'))).toEqual([ids.john64, ids.jane].sort((a, b) => a! - b!));
    expect(idsOf(await search('jane 5/3/1964'))).toEqual([ids.jane]);
    // Parts that disagree find nobody: AND, not OR.
    expect((await search('jane 212-555-0141')).body.count).toBe(0);
  });

  it('refuses what it cannot read, and q combined with another match parameter', async () => {
    const twoDigit = await search('john 5/3/64');
    expect(twoDigit.status).toBe(400);
    expect(twoDigit.body.error).toEqual(['"5/3/64" in q needs a 4-digit year, e.g. 5/3/1964']);
    const mixed = await search('john', { name: 'john' });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toEqual([
      'q cannot be combined with name, email, phone_number, date_of_birth or foreign_id',
    ]);
  });

  it('answers the same on tRPC', async () => {
    const input = encodeURIComponent(
      JSON.stringify({ subdomain: t.subdomain, location_id: t.locationId, q: 'jon smithers 05/03/1964' }),
    );
    const res = await fetch(`${h.server.url}/trpc/patients.search?input=${input}`, {
      headers: { authorization: t.apiKey },
    });
    const body = (await res.json()) as { result: { data: { patients: Array<{ id: number }> } } };
    expect(body.result.data.patients.map((p) => p.id)).toEqual([ids.john64]);
  });
});
