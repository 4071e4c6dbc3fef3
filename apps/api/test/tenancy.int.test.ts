// SPEC 3: a key for one institution can never read, match or change another's patients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

describe.each(ENGINES)('tenancy on %s', (engine) => {
  let h: Harness;
  let a: Tenant;
  let b: Tenant;
  let bPatient: any;
  let bAppointmentId: number;
  const secret = { first_name: 'Secretia', last_name: 'Hidden', email: 'secret@example.com' };

  beforeAll(async () => {
    h = await startHarness(engine);
    a = await createTenant(h.server, 'alpha');
    b = await createTenant(h.server, 'bravo');
    const created = await call(h.server, 'POST', '/patients', {
      query: { subdomain: b.subdomain, location_id: b.locationId },
      body: { patient: newPatient(secret, { phone_number: '2125550142', date_of_birth: '1980-08-08' }) },
      auth: `Bearer ${b.apiKey}`,
    });
    bPatient = created.body.data.user;
    const booked = await call(h.server, 'POST', '/appointments', {
      query: { subdomain: b.subdomain, location_id: b.locationId },
      body: {
        appt: {
          patient_id: bPatient.id,
          provider_id: b.providerId,
          start_time: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      auth: `Bearer ${b.apiKey}`,
    });
    bAppointmentId = booked.body.data.appt.id;
  });
  afterAll(() => h.stop());

  const asA = (method: string, path: string, query: Record<string, string | number>, body?: unknown) =>
    call(h.server, method, path, { query, body, auth: `Bearer ${a.apiKey}` });

  it("A's key with B's subdomain is a 403 that reveals nothing, like an unknown subdomain", async () => {
    const foreign = await asA('GET', '/patients', {
      subdomain: b.subdomain,
      location_id: b.locationId,
      email: secret.email,
    });
    const unknown = await asA('GET', '/patients', {
      subdomain: 'nobody',
      location_id: b.locationId,
      email: secret.email,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual(unknown.body);
    expect(JSON.stringify(foreign.body)).not.toMatch(/secret|Hidden|count/i);
  });

  it("searching A by B's patient's email, phone, name or date of birth finds nothing", async () => {
    const queries: Record<string, string>[] = [
      { email: secret.email },
      { phone_number: '2125550142' },
      { name: 'Secretia Hidden' },
      { date_of_birth: '1980-08-08' },
    ];
    for (const q of queries) {
      const res = await asA('GET', '/patients', { subdomain: a.subdomain, location_id: a.locationId, ...q });
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(0);
      expect(res.body.data.patients).toEqual([]);
    }
  });

  it("reading, editing or booking B's patient id from A is a 404", async () => {
    expect((await asA('GET', `/patients/${bPatient.id}`, { subdomain: a.subdomain })).status).toBe(404);
    const patch = await asA(
      'PATCH',
      `/patients/${bPatient.id}`,
      { subdomain: a.subdomain },
      { patient: { first_name: 'Hacked' } },
    );
    expect(patch.status).toBe(404);
    const book = await asA(
      'POST',
      '/appointments',
      { subdomain: a.subdomain, location_id: a.locationId },
      {
        appt: {
          patient_id: bPatient.id,
          provider_id: a.providerId,
          start_time: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    expect(book.status).toBe(404);
    const still = await call(h.server, 'GET', `/patients/${bPatient.id}`, {
      query: { subdomain: b.subdomain },
      auth: `Bearer ${b.apiKey}`,
    });
    expect(still.body.data.first_name).toBe('Secretia');
  });

  it("B's provider, location and appointment ids are 404s for A", async () => {
    const mine = (
      await asA(
        'POST',
        '/patients',
        { subdomain: a.subdomain, location_id: a.locationId },
        { patient: newPatient() },
      )
    ).body.data.user;
    const withForeignProvider = await asA(
      'POST',
      '/appointments',
      { subdomain: a.subdomain, location_id: a.locationId },
      {
        appt: {
          patient_id: mine.id,
          provider_id: b.providerId,
          start_time: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    expect(withForeignProvider.status).toBe(404);
    expect(
      (await asA('GET', '/providers', { subdomain: a.subdomain, location_id: b.locationId })).status,
    ).toBe(404);
    expect(
      (await asA('GET', '/patients', { subdomain: a.subdomain, location_id: b.locationId })).status,
    ).toBe(404);
    const cancel = await asA(
      'PATCH',
      `/appointments/${bAppointmentId}`,
      { subdomain: a.subdomain },
      { appt: { cancelled: true } },
    );
    expect(cancel.status).toBe(404);
  });

  it('A can register a person who exists in B: the duplicate rule never looks across institutions', async () => {
    const res = await asA(
      'POST',
      '/patients',
      { subdomain: a.subdomain, location_id: a.locationId },
      { patient: newPatient(secret, { phone_number: '2125550142', date_of_birth: '1980-08-08' }) },
    );
    expect(res.status).toBe(201);
    expect(res.body.data.user.id).not.toBe(bPatient.id);
  });

  it('a token for A used with B is a 403 too', async () => {
    const token = (await call(h.server, 'POST', '/authenticates', { auth: a.apiKey })).body.data.token;
    const res = await call(h.server, 'GET', `/patients/${bPatient.id}`, {
      query: { subdomain: b.subdomain },
      auth: `Bearer ${token}`,
    });
    expect(res.status).toBe(403);
  });
});
