// Fuzzing the HTTP surface (issue 13): a few thousand generated requests (test/support/fuzz.ts) against a
// real server on each engine. No answer is a 5xx, REST answers are the envelope, no message leaks a stack or
// SQL, and afterwards a sentinel patient (inserted, so no edit may touch it) and another institution's data
// are exactly as before. FUZZ_RUNS and FUZZ_SEED change the size and the seed; a failure prints its seed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';
import { type FuzzTarget, requests, send } from './support/fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

describe.each(ENGINES)('HTTP fuzzing on %s', (engine) => {
  let h: Harness;
  let own: Tenant;
  let other: Tenant;
  let target: FuzzTarget;
  const snapshot = async () => ({
    sentinel: (
      await call(h.server, 'GET', `/patients/${target.own.patientId}`, {
        query: { subdomain: own.subdomain },
        auth: `Bearer ${own.apiKey}`,
      })
    ).body.data,
    others: (
      await call(h.server, 'GET', '/patients', {
        query: { subdomain: other.subdomain, location_id: other.locationId, per_page: 1000 },
        auth: `Bearer ${other.apiKey}`,
      })
    ).body,
  });

  beforeAll(async () => {
    // Each generated request comes from an address of its own (X-Forwarded-For, trusted from loopback) and
    // the key's rate is out of reach: the abuse limits have tests of their own (limits.int.test.ts); here
    // they would turn most answers into 429s.
    h = await startHarness(engine, { trustProxy: 'loopback', rateLimitPerMinute: 1_000_000 });
    own = await createTenant(h.server, 'fuzzed');
    other = await createTenant(h.server, 'bystander');
    const create = async (t: Tenant) =>
      (
        await call(h.server, 'POST', '/patients', {
          query: { subdomain: t.subdomain, location_id: t.locationId },
          auth: `Bearer ${t.apiKey}`,
          body: { patient: newPatient() },
        })
      ).body.data.user.id as number;
    const sentinelId = await create(own);
    // Booked, so inserted into the health record system: no edit through the API may change it.
    const booked = await call(h.server, 'POST', '/appointments', {
      query: { subdomain: own.subdomain, location_id: own.locationId },
      auth: `Bearer ${own.apiKey}`,
      body: {
        appt: { patient_id: sentinelId, provider_id: own.providerId, start_time: '2031-01-15T15:00:00Z' },
      },
    });
    expect(booked.status).toBe(201);
    const theirs = await create(other);
    target = {
      server: h.server,
      own: {
        subdomain: own.subdomain,
        locationId: own.locationId,
        apiKey: own.apiKey,
        patientId: sentinelId,
      },
      other: { subdomain: other.subdomain, locationId: other.locationId, patientId: theirs },
    };
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it(`answers ${RUNS} generated requests below 500, in the envelope, without leaks, changing nothing it may not`, async () => {
    const before = await snapshot();
    const started = performance.now();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(target), async (r) => {
        const sent = await send(h.server, r);
        statuses.set(sent.status, (statuses.get(sent.status) ?? 0) + 1);
        if (sent.problem) throw new Error(`${sent.problem}\nrequest: ${JSON.stringify(r).slice(0, 600)}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    // The run's figures, for `npm run fuzz` and the README.
    console.log(
      `fuzz ${engine}: ${RUNS} requests, seed ${SEED}, ${seconds} s, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(await snapshot()).toEqual(before);
    // Not vacuous: the generated requests reach past validation and authentication too.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  }, 600_000);
});
