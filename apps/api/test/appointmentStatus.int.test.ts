// SPEC 5: `confirmed` is the health record system's, refreshed by sync; PATCH /appointments/:id confirms or
// cancels there and here. With the embedded reference system as the health record system.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorRegistry } from '../src/connectors/registry';
import { syncInstitution } from '../src/sync/runSync';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

describe.each(ENGINES)('appointment confirmation and cancellation on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let hour = 0;

  const booked = async () => {
    const made = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient: newPatient() },
      auth: t.apiKey,
    });
    const res = await call(h.server, 'POST', '/appointments', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        appt: {
          patient_id: made.body.data.user.id,
          provider_id: t.providerId,
          start_time: new Date(Date.now() + (48 + hour++) * 3_600_000).toISOString(),
        },
      },
      auth: t.apiKey,
    });
    expect(res.status).toBe(201);
    return res.body.data.appt as { id: number; foreign_id: string; patient_id: number };
  };
  const patch = (id: number, appt: unknown) =>
    call(h.server, 'PATCH', `/appointments/${id}`, {
      query: { subdomain: t.subdomain },
      body: { appt },
      auth: t.apiKey,
    });
  const there = (appt: { foreign_id: string }) =>
    h.server.db
      .knex('ref_hrs_appointments')
      .where({ id: Number(appt.foreign_id) })
      .first();
  const upcomingOf = async (patientId: number) =>
    (
      await call(h.server, 'GET', `/patients/${patientId}`, {
        query: { subdomain: t.subdomain },
        auth: t.apiKey,
      })
    ).body.data.upcoming_appts;

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'confirming');
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('confirms there and here', async () => {
    const appt = await booked();
    expect((await there(appt)).confirmed).toBeFalsy();
    const res = await patch(appt.id, { confirmed: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      description: 'Appointment confirmed',
      data: { appt: { confirmed: true, cancelled: false } },
    });
    expect((await there(appt)).confirmed).toBeTruthy();
    expect((await upcomingOf(appt.patient_id))[0].confirmed).toBe(true);
  });

  it('cancels there and here', async () => {
    const appt = await booked();
    const res = await patch(appt.id, { cancelled: true });
    expect(res.status).toBe(200);
    expect(res.body.data.appt.cancelled).toBe(true);
    expect((await there(appt)).status).toBe('Cancelled');
    expect(await upcomingOf(appt.patient_id)).toEqual([]);
  });

  it('brings a confirmation made there with the next sync', async () => {
    const appt = await booked();
    await h.server.db
      .knex('ref_hrs_appointments')
      .where({ id: Number(appt.foreign_id) })
      .update({ confirmed: true, updated_at: new Date().toISOString() });
    await syncInstitution(
      { db: h.server.db, connectorFor: connectorRegistry(h.server.db, undefined) },
      t.institutionId,
    );
    expect((await upcomingOf(appt.patient_id))[0].confirmed).toBe(true);
  });

  it('refuses a PATCH that asks for nothing, or to undo', async () => {
    const appt = await booked();
    const empty = await patch(appt.id, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toEqual(['appt needs cancelled: true or confirmed: true']);
    const undo = await patch(appt.id, { confirmed: false });
    expect(undo.status).toBe(400);
    expect(undo.body.error).toEqual([
      'confirmed must be true (an appointment can be confirmed, not un-confirmed)',
    ]);
  });
});
