// SPEC 4.3 "Idempotency-Key": a create or a booking retried with the same key and body gets the first answer
// again and changes nothing; a different body is 422; a retry while the first is in flight is 409; keys are
// per API key, kept 24 hours, in the database (a restart between the tries changes nothing); tRPC takes the
// key as the same header or as the `idempotency_key` input field.
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { institutionsRepo } from '../src/db/repositories/institutions';
import { startServer } from '../src/server';
import { fingerprintOf } from '../src/services/idempotency';
import type { AppRouter } from '../src/trpc/router';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

describe.each(ENGINES)('Idempotency-Key on %s', (engine) => {
  let h: Harness;
  let t: Tenant;

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'onceonly');
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const create = (key: string | undefined, patient: unknown, auth = t.apiKey) =>
    call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient },
      auth,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  const countNamed = async (lastName: string) =>
    (
      await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId, name: lastName, per_page: 50 },
        auth: t.apiKey,
      })
    ).body.count;
  const keyIdOf = async (apiKey: string) =>
    (await institutionsRepo(h.server.db.knex).activeKeyByValue(apiKey))!.id;

  it('answers a retried create with the first answer, marked replayed, creating one patient', async () => {
    const patient = newPatient({ last_name: 'Retryson' });
    const first = await create('create-1', patient);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await create('create-1', patient);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countNamed('Retryson')).toBe(1);
    // The same request written differently (another phone format, keys in another order) is the same request.
    const { bio, ...rest } = patient;
    const reordered = { bio: { ...bio, phone_number: `+1 ${bio.phone_number}` }, ...rest };
    const rewritten = await create('create-1', reordered);
    expect(rewritten.status).toBe(201);
    expect(rewritten.body.data.user.id).toBe(first.body.data.user.id);
  });

  it('refuses the same key with a different body (422), and replays a refusal as it was', async () => {
    const patient = newPatient({ last_name: 'Keyreuse' });
    expect((await create('create-2', patient)).status).toBe(201);
    const other = await create('create-2', newPatient({ last_name: 'Someoneelse' }));
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      code: false,
      error: ['This Idempotency-Key was already used with a different request'],
    });
    expect(await countNamed('Someoneelse')).toBe(0);

    // A duplicate refusal under a new key is kept: the retry gets the same 400, with the same existing patient.
    const dup = await create('create-3', patient);
    expect(dup.status).toBe(400);
    const dupAgain = await create('create-3', patient);
    expect(dupAgain.status).toBe(400);
    expect(dupAgain.body).toEqual(dup.body);
    expect(dupAgain.headers.get('idempotent-replayed')).toBe('true');
  });

  it('keeps keys per API key: another key with the same Idempotency-Key is a request of its own', async () => {
    const secondKey = await institutionsRepo(h.server.db.knex).createApiKey(t.institutionId, 'second app');
    const mine = await create('shared-key', newPatient({ last_name: 'Firstapp' }));
    const theirs = await create('shared-key', newPatient({ last_name: 'Secondapp' }), secondKey);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.data.user.id).not.toBe(mine.body.data.user.id);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 409 while the first request is in flight, and runs again once a claim is abandoned', async () => {
    const patient = newPatient({ last_name: 'Inflight' });
    const input = {
      subdomain: t.subdomain,
      location_id: t.locationId,
      patient,
      return_existing_if_match: false,
    };
    // What a first request leaves while it is being answered: a claim with no outcome yet.
    const { createPatientInput } = await import('@patients/core');
    const fingerprint = fingerprintOf('POST /patients', createPatientInput.parse(input));
    const apiKeyId = await keyIdOf(t.apiKey);
    const claimedAt = (ms: number) => new Date(Date.now() - ms).toISOString();
    await h.server.db.knex('idempotency_keys').insert({
      api_key_id: apiKeyId,
      key: 'in-flight',
      fingerprint,
      created_at: claimedAt(1000),
      status: null,
      outcome: null,
    });
    const busy = await create('in-flight', patient);
    expect(busy.status).toBe(409);
    expect(busy.body.error).toEqual([
      'A request with this Idempotency-Key is still being answered; retry shortly',
    ]);
    expect(await countNamed('Inflight')).toBe(0);

    // A claim two minutes old belongs to a process that died: the retry runs.
    await h.server.db
      .knex('idempotency_keys')
      .where({ key: 'in-flight' })
      .update({ created_at: claimedAt(120_000) });
    const taken = await create('in-flight', patient);
    expect(taken.status).toBe(201);
    expect(await countNamed('Inflight')).toBe(1);
  });

  it('forgets a key after 24 hours', async () => {
    const apiKeyId = await keyIdOf(t.apiKey);
    await h.server.db.knex('idempotency_keys').insert({
      api_key_id: apiKeyId,
      key: 'yesterday',
      fingerprint: 'f'.repeat(64),
      created_at: new Date(Date.now() - 25 * 3600_000).toISOString(),
      status: 201,
      outcome: JSON.stringify({ ok: true, result: { user: { id: 1 }, created: true } }),
    });
    const fresh = await create('yesterday', newPatient({ last_name: 'Nextday' }));
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(await countNamed('Nextday')).toBe(1);
  });

  it('refuses a malformed key with a 400 naming it, creating nothing', async () => {
    for (const key of ['', 'x'.repeat(256), 'clé']) {
      const bad = await create(key, newPatient({ last_name: 'Badkey' }));
      expect(bad.status).toBe(400);
      expect(bad.body.error.join(' ')).toMatch(/Idempotency-Key/);
    }
    expect(await countNamed('Badkey')).toBe(0);
    // The draft's structured-field form, quoted, is the same key as the bare one.
    const patient = newPatient({ last_name: 'Quoted' });
    const quoted = await create('"sf-string-key"', patient);
    const bare = await create('sf-string-key', patient);
    expect([quoted.status, bare.status]).toEqual([201, 201]);
    expect(bare.headers.get('idempotent-replayed')).toBe('true');
  });

  it('books once per key: the retry returns the same appointment', async () => {
    const made = await create(undefined, newPatient({ last_name: 'Bookonce' }));
    const start = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const book = () =>
      call(h.server, 'POST', '/appointments', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { appt: { patient_id: made.body.data.user.id, provider_id: t.providerId, start_time: start } },
        auth: t.apiKey,
        headers: { 'idempotency-key': 'book-1' },
      });
    const first = await book();
    const again = await book();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.data.appt.id).toBe(first.body.data.appt.id);
    const listed = await call(h.server, 'GET', '/appointments', {
      query: {
        subdomain: t.subdomain,
        location_id: t.locationId,
        start: new Date().toISOString(),
        end: '2099-01-01T00:00:00Z',
        'patient_ids[]': made.body.data.user.id,
      },
      auth: t.apiKey,
    });
    expect(listed.body.count).toBe(1);
  });

  it('takes the key on tRPC as the header or as idempotency_key, and refuses the two differing', async () => {
    const client = (headers: Record<string, string> = {}) =>
      createTRPCClient<AppRouter>({
        links: [httpLink({ url: `${h.server.url}/trpc`, headers: { authorization: t.apiKey, ...headers } })],
      });
    const patient = newPatient({ last_name: 'Rpconce' });
    const input = { subdomain: t.subdomain, location_id: t.locationId, patient: patient as never };
    const first = await client().patients.create.mutate({ ...input, idempotency_key: 'rpc-1' });
    const byField = await client().patients.create.mutate({ ...input, idempotency_key: 'rpc-1' });
    const byHeader = await client({ 'idempotency-key': 'rpc-1' }).patients.create.mutate(input);
    expect(byField.user.id).toBe(first.user.id);
    expect(byHeader.user.id).toBe(first.user.id);
    expect(await countNamed('Rpconce')).toBe(1);
    const both = client({ 'idempotency-key': 'rpc-2' }).patients.create.mutate({
      ...input,
      idempotency_key: 'rpc-3',
    });
    await expect(both).rejects.toBeInstanceOf(TRPCClientError);
    await expect(both).rejects.toMatchObject({ data: { httpStatus: 400, errorCode: 'validation' } });
    // REST's body takes the field too, and it is the same key as the header.
    const viaBody = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient: { ...patient, email: 'someone.else@example.com' }, idempotency_key: 'rpc-1' },
      auth: t.apiKey,
    });
    expect(viaBody.status).toBe(422);
  });

  it('keeps the first answer across a restart', async () => {
    const patient = newPatient({ last_name: 'Restarted' });
    const first = await create('restart-1', patient);
    expect(first.status).toBe(201);
    await h.server.close();
    h.server = await startServer({
      databaseUrl: h.database.url,
      logLevel: 'silent',
      tokenSecret: 'test-secret',
      trustProxy: 'loopback',
    });
    const again = await create('restart-1', patient);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await countNamed('Restarted')).toBe(1);
  });
});
