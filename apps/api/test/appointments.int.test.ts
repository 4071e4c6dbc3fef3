// SPEC 5: booking, insertion into the health record system on first booking, and what a failure leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';
import { switchableConnector } from './support/switchableConnector';

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe.each(ENGINES)('appointments on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  const hrs = switchableConnector();
  const auth = () => `Bearer ${t.apiKey}`;
  const book = (appt: Record<string, unknown>, locationId = t.locationId) =>
    call(h.server, 'POST', '/appointments', {
      query: { subdomain: t.subdomain, location_id: locationId },
      body: { appt },
      auth: auth(),
    });
  const createPatient = async (overrides = {}) =>
    (
      await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { patient: newPatient(overrides) },
        auth: auth(),
      })
    ).body.data.user;
  const getPatient = async (id: number) =>
    (await call(h.server, 'GET', `/patients/${id}`, { query: { subdomain: t.subdomain }, auth: auth() })).body
      .data;

  beforeAll(async () => {
    h = await startHarness(engine, { connectorFor: async () => hrs.connector });
    t = await createTenant(h.server, 'booking');
  });
  afterAll(() => h.stop());

  it('the first booking inserts the patient; after it the patient cannot be edited', async () => {
    const p = await createPatient();
    const res = await book({
      patient_id: p.id,
      provider_id: t.providerId,
      start_time: inHours(24),
      note: 'Checkup',
    });
    expect(res.status).toBe(201);
    const appt = res.body.data.appt;
    expect(appt).toMatchObject({
      patient_id: p.id,
      provider_id: t.providerId,
      provider_name: 'Dr. Jane Doe',
      note: 'Checkup',
      cancelled: false,
    });
    expect(Date.parse(appt.end_time) - Date.parse(appt.start_time)).toBe(30 * 60_000);

    const after = await getPatient(p.id);
    expect(after.foreign_id_type).toBe('ReferenceHRS');
    expect(after.foreign_id).toMatch(/^\d+$/);
    expect(after.new_patient).toBe(false);
    expect(after.upcoming_appts).toEqual([
      expect.objectContaining({
        id: appt.id,
        provider_id: t.providerId,
        provider_name: 'Dr. Jane Doe',
        start_time: appt.start_time,
      }),
    ]);

    const edit = await call(h.server, 'PATCH', `/patients/${p.id}`, {
      query: { subdomain: t.subdomain },
      body: { patient: { first_name: 'Changed' } },
      auth: auth(),
    });
    expect(edit.status).toBe(400);
    expect(edit.body.error).toEqual([
      'Patient has been inserted into the health record system and can no longer be edited through this API',
    ]);
    expect((await getPatient(p.id)).first_name).toBe(p.first_name);

    // A second booking does not insert again (its ids given as strings of digits, as SPEC 4.3 allows).
    const second = await book({
      patient_id: String(p.id),
      provider_id: String(t.providerId),
      start_time: inHours(48),
    });
    expect(second.status).toBe(201);
    expect((await getPatient(p.id)).foreign_id).toBe(after.foreign_id);
  });

  it('a patient already in the health record system is a duplicate for create', async () => {
    const p = await createPatient({ first_name: 'Inserted', last_name: 'Person' });
    await book({ patient_id: p.id, provider_id: t.providerId, start_time: inHours(72) });
    const again = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        patient: {
          ...newPatient({ first_name: 'Inserted', last_name: 'Person', email: p.email }),
          bio: {
            ...p.bio,
            address_line_1: undefined,
            address_line_2: undefined,
            city: undefined,
            state: undefined,
            zip_code: undefined,
          },
        },
      },
      auth: auth(),
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toEqual(['A patient with that information already exists']);
  });

  it.each([
    ['refuses', 'refuse', 400],
    ['is unreachable', 'down', 502],
  ] as const)(
    'when the health record system %s nothing is booked and the patient is unchanged',
    async (_label, mode, status) => {
      const p = await createPatient();
      hrs.state.mode = mode;
      try {
        const res = await book({ patient_id: p.id, provider_id: t.providerId, start_time: inHours(30) });
        expect(res.status).toBe(status);
        expect(res.body.code).toBe(false);
        expect(res.body.error[0]).toMatch(/health record system/);
      } finally {
        hrs.state.mode = 'up';
      }
      const after = await getPatient(p.id);
      expect(after).toMatchObject({ foreign_id_type: 'nex', new_patient: true, upcoming_appts: [] });
      const listed = await call(h.server, 'GET', '/appointments', {
        query: {
          subdomain: t.subdomain,
          location_id: t.locationId,
          start: inHours(0),
          end: inHours(1000),
          'patient_ids[]': p.id,
        },
        auth: auth(),
      });
      expect(listed.body.count).toBe(0);
    },
  );

  it('refuses past starts, end before start, long notes, double-booking and a provider of another location', async () => {
    const p = await createPatient();
    const past = await book({ patient_id: p.id, provider_id: t.providerId, start_time: inHours(-1) });
    expect(past.status).toBe(400);
    expect(past.body.error).toContain('start_time must be in the future');
    const backwards = await book({
      patient_id: p.id,
      provider_id: t.providerId,
      start_time: inHours(5),
      end_time: inHours(4),
    });
    expect(backwards.body.error).toContain('end_time must be after start_time');
    const note = await book({
      patient_id: p.id,
      provider_id: t.providerId,
      start_time: inHours(5),
      note: 'x'.repeat(129),
    });
    expect(note.body.error).toContain('note must be at most 128 characters');
    const elsewhere = await book({
      patient_id: p.id,
      provider_id: t.otherProviderId,
      start_time: inHours(5),
    });
    expect(elsewhere.body.error).toContain('provider_id does not work at this location');
    expect(
      (await book({ patient_id: p.id, provider_id: t.providerId, start_time: inHours(100) })).status,
    ).toBe(201);
    const q = await createPatient();
    const clash = await book({
      patient_id: q.id,
      provider_id: t.providerId,
      start_time: new Date(Date.parse(inHours(100)) + 10 * 60_000).toISOString(),
    });
    expect(clash.status).toBe(400);
    expect(clash.body.error).toEqual(['The provider is already booked at that time']);
    expect([past, backwards, note, elsewhere].every((r) => r.status === 400)).toBe(true);
  });

  it('lists by window and filters, and cancelling removes it from upcoming_appts', async () => {
    const p = await createPatient();
    const booked = (await book({ patient_id: p.id, provider_id: t.providerId, start_time: inHours(200) }))
      .body.data.appt;
    const window = {
      subdomain: t.subdomain,
      location_id: t.locationId,
      start: inHours(199),
      end: inHours(201),
    };
    const listed = await call(h.server, 'GET', '/appointments', { query: window, auth: auth() });
    expect(listed.body.data.appointments.map((x: any) => x.id)).toEqual([booked.id]);
    const missingWindow = await call(h.server, 'GET', '/appointments', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      auth: auth(),
    });
    expect(missingWindow.body.error).toEqual(
      expect.arrayContaining(['start is required', 'end is required']),
    );
    const cancel = await call(h.server, 'PATCH', `/appointments/${booked.id}`, {
      query: { subdomain: t.subdomain },
      body: { appt: { cancelled: true } },
      auth: auth(),
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body.data.appt.cancelled).toBe(true);
    expect((await getPatient(p.id)).upcoming_appts).toEqual([]);
    const notCancelled = await call(h.server, 'GET', '/appointments', {
      query: { ...window, cancelled: false },
      auth: auth(),
    });
    expect(notCancelled.body.count).toBe(0);
  });

  it('a booking at another location makes the patient seen there', async () => {
    const p = await createPatient();
    const res = await book(
      { patient_id: p.id, provider_id: t.otherProviderId, start_time: inHours(300) },
      t.otherLocationId,
    );
    expect(res.status).toBe(201);
    expect((await getPatient(p.id)).location_ids).toEqual(
      [t.locationId, t.otherLocationId].sort((x, y) => x - y),
    );
  });
});
