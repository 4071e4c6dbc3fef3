// SPEC 8: the same operations through the typed tRPC client and plain HTTP, with the same messages.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/trpc/router';
import { createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

describe.each(ENGINES)('tRPC on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'trpc');
    client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${h.server.url}/trpc`,
          headers: () => ({ authorization: `Bearer ${t.apiKey}` }),
        }),
      ],
    });
  });
  afterAll(() => h.stop());

  it('creates, gets, searches and books with typed inputs', async () => {
    const { user, created } = await client.patients.create.mutate({
      subdomain: t.subdomain,
      location_id: t.locationId,
      patient: newPatient({ first_name: 'Typed', last_name: 'Client' }) as never,
    });
    expect(created).toBe(true);
    const got = await client.patients.get.query({ subdomain: t.subdomain, id: user.id });
    expect(got.name).toBe('Typed Client');
    const found = await client.patients.search.query({
      subdomain: t.subdomain,
      location_id: t.locationId,
      name: 'typed client',
    });
    expect(found.count).toBe(1);
    expect(found.patients[0]?.match?.reasons.length).toBeGreaterThan(0);
    const { appt } = await client.appointments.book.mutate({
      subdomain: t.subdomain,
      location_id: t.locationId,
      appt: {
        patient_id: user.id,
        provider_id: t.providerId,
        start_time: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(appt.patient_id).toBe(user.id);
    const providers = await client.providers.list.query({
      subdomain: t.subdomain,
      location_id: t.locationId,
    });
    expect(providers.providers.map((p) => p.name)).toEqual(['Dr. Jane Doe']);
    const locations = await client.locations.list.query({ subdomain: t.subdomain });
    expect(locations.locations).toHaveLength(2);
  });

  it('carries the envelope messages in its errors', async () => {
    const err = await client.patients.create
      .mutate({ subdomain: t.subdomain, location_id: t.locationId, patient: { first_name: 'Only' } as never })
      .catch((e) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect(err.data.code).toBe('BAD_REQUEST');
    // The same messages as REST's envelope, every problem at once (SPEC 2).
    expect(err.data.errors).toEqual([
      'last_name is required',
      'email is required',
      'bio.phone_number is required',
      'bio.date_of_birth is required',
      'bio.gender is required',
    ]);
    const missing = await client.patients.get
      .query({ subdomain: t.subdomain, id: 2_000_000 })
      .catch((e) => e);
    expect(missing.data.code).toBe('NOT_FOUND');
    expect(missing.message).toBe('Patient not found');
    const foreign = await client.patients.search
      .query({ subdomain: 'someone-else', location_id: t.locationId })
      .catch((e) => e);
    expect(foreign.data.code).toBe('FORBIDDEN');
  });

  it('gives the stable error code, and the duplicate refusal its existing patient, as REST does', async () => {
    const patient = newPatient({ first_name: 'Twice', last_name: 'Entered' }) as never;
    const input = { subdomain: t.subdomain, location_id: t.locationId, patient };
    const { user } = await client.patients.create.mutate(input);
    const err = await client.patients.create.mutate(input).catch((e) => e);
    expect(err.data.errorCode).toBe('duplicate');
    expect(err.data.errors).toEqual(['A patient with that information already exists']);
    expect(err.data.details.existing).toMatchObject({ id: user.id, foreign_id_type: 'nex' });
    expect(err.data.details.existing.reasons).toContain('date of birth');
    const invalid = await client.patients.get
      .query({ subdomain: t.subdomain, id: 0 } as never)
      .catch((e) => e);
    expect(invalid.data.errorCode).toBe('validation');
  });

  it('answers a plain GET query with a JSON input (no transformer) and refuses bad credentials', async () => {
    const input = encodeURIComponent(JSON.stringify({ subdomain: t.subdomain, location_id: t.locationId }));
    const ok = await fetch(`${h.server.url}/trpc/patients.search?input=${input}`, {
      headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).result.data.count).toBeGreaterThan(0);
    const denied = await fetch(`${h.server.url}/trpc/patients.search?input=${input}`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(denied.status).toBe(401);
  });
});
