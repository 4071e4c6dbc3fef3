// SPEC 2-4 over real HTTP on each engine: envelope, auth, create, duplicates, defaults, read, edit, search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { institutionsRepo } from '../src/db/repositories/institutions';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

describe.each(ENGINES)('patients on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  const bearer = () => `Bearer ${t.apiKey}`;
  const create = (patient: unknown, extra: Record<string, unknown> = {}, tenant = t) =>
    call(h.server, 'POST', '/patients', {
      query: { subdomain: tenant.subdomain, location_id: tenant.locationId },
      body: { provider: { provider_id: tenant.providerId }, patient, ...extra },
      auth: `Bearer ${tenant.apiKey}`,
    });
  const search = (query: Record<string, string | number | boolean>) =>
    call(h.server, 'GET', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId, ...query },
      auth: bearer(),
    });

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'acme');
  });
  afterAll(() => h.stop());

  describe('authentication (SPEC 3)', () => {
    it('trades the raw key for a token that works as bearer', async () => {
      const auth = await call(h.server, 'POST', '/authenticates', { auth: t.apiKey });
      expect(auth.status).toBe(200);
      expect(auth.body.code).toBe(true);
      const token = auth.body.data.token as string;
      const listed = await search({});
      const withToken = await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        auth: `Bearer ${token}`,
      });
      expect(withToken.status).toBe(200);
      expect(withToken.body.count).toBe(listed.body.count);
    });

    it('accepts the Bearer prefix on /authenticates and refuses a wrong key with 401', async () => {
      expect((await call(h.server, 'POST', '/authenticates', { auth: `Bearer ${t.apiKey}` })).status).toBe(
        200,
      );
      const bad = await call(h.server, 'POST', '/authenticates', { auth: 'pk_wrong' });
      expect(bad.status).toBe(401);
      expect(bad.body).toMatchObject({ code: false, data: null });
    });

    it('answers 401 in the envelope without credentials or with a forged token', async () => {
      const none = await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        auth: null,
      });
      expect(none.status).toBe(401);
      expect(none.body.error.length).toBeGreaterThan(0);
      const forged = await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        auth: `Bearer v1.${t.institutionId}.9999999999.AAAA`,
      });
      expect(forged.status).toBe(401);
    });

    it('accepts the NexHealth Accept header', async () => {
      const res = await fetch(
        `${h.server.url}/patients?subdomain=${t.subdomain}&location_id=${t.locationId}`,
        {
          headers: { authorization: bearer(), accept: 'application/vnd.Nexhealth+json;version=2' },
        },
      );
      expect(res.status).toBe(200);
    });
  });

  describe('create (SPEC 4.3)', () => {
    it('creates with 201, normalises phone and email, and returns the full patient object', async () => {
      const res = await create({
        first_name: 'John',
        middle_name: 'Anthony',
        last_name: 'Smith',
        preferred_name: 'Jack',
        email: '  John.Smith@Example.COM ',
        bio: { phone_number: '+1 (516) 304-2196', date_of_birth: '1964-05-03', gender: 'Male' },
      });
      expect(res.status).toBe(201);
      const u = res.body.data.user;
      expect(u).toMatchObject({
        first_name: 'John',
        last_name: 'Smith',
        name: 'John Smith',
        email: 'john.smith@example.com',
        foreign_id_type: 'nex',
        foreign_id: String(u.id),
        new_patient: true,
        inactive: false,
        institution_id: t.institutionId,
        location_ids: [t.locationId],
        provider_id: t.providerId,
        demographics_defaulted: [],
        upcoming_appts: [],
        procedures: [],
        insurance_coverages: [],
      });
      expect(u.bio).toMatchObject({
        phone_number: '5163042196',
        date_of_birth: '1964-05-03',
        gender: 'Male',
      });
      expect(u.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('reports each missing field by its JSON name and stores nothing', async () => {
      const before = (await search({})).body.count;
      const res = await create({ first_name: 'Only' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(false);
      expect(res.body.data).toBeNull();
      // Every problem in one answer (SPEC 2): the schema's and the practice's required fields together.
      expect(res.body.error).toEqual([
        'last_name is required',
        'email is required',
        'bio.phone_number is required',
        'bio.date_of_birth is required',
        'bio.gender is required',
      ]);
      const again = await create({ first_name: 'Only', last_name: 'Name' });
      expect(again.body.error).toEqual(
        expect.arrayContaining([
          'email is required',
          'bio.phone_number is required',
          'bio.date_of_birth is required',
          'bio.gender is required',
        ]),
      );
      expect((await search({})).body.count).toBe(before);
    });

    it('refuses malformed values with one message per field', async () => {
      const future = new Date(Date.now() + 86_400_000 * 2).toISOString().slice(0, 10);
      const res = await create(
        newPatient(
          { email: 'not-an-email' },
          { phone_number: '123', date_of_birth: future, gender: 'Robot' },
        ),
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(
        expect.arrayContaining([
          'email must be a valid email address',
          'bio.phone_number must be a valid phone number',
          'bio.date_of_birth must not be in the future',
        ]),
      );
      expect(res.body.error.some((m) => m.startsWith('bio.gender'))).toBe(true);
      const old = await create(newPatient({}, { date_of_birth: '1880-01-01' }));
      expect(old.body.error).toContain('bio.date_of_birth must not be more than 130 years ago');
    });

    it('refuses unknown fields, naming them', async () => {
      const res = await create({ ...newPatient(), favourite_colour: 'blue' });
      expect(res.status).toBe(400);
      expect(res.body.error).toContain('favourite_colour is not a known field');
    });

    it('refuses a duplicate (nickname, reformatted phone) and creates nothing', async () => {
      const first = await create(
        newPatient(
          { first_name: 'Robert', last_name: 'Miller', email: 'rm@example.com' },
          { phone_number: '2125550177', date_of_birth: '1970-02-02', gender: 'Male' },
        ),
      );
      expect(first.status).toBe(201);
      const dup = await create(
        newPatient(
          { first_name: 'Bob', last_name: 'Miller', email: 'other@example.com' },
          { phone_number: '(212) 555-0177', date_of_birth: '1970-02-02', gender: 'Male' },
        ),
      );
      expect(dup.status).toBe(400);
      expect(dup.body.error).toEqual(['A patient with that information already exists']);
      // The refusal says which patient it matched and why (SPEC 4.3), so the caller need not search again.
      expect(dup.body.data).toEqual({
        existing: {
          id: first.body.data.user.id,
          foreign_id: String(first.body.data.user.id),
          foreign_id_type: 'nex',
          reasons: ['date of birth', 'nickname: Bob ~ Robert', 'last name', 'phone'],
        },
      });
      expect((await search({ date_of_birth: '1970-02-02' })).body.count).toBe(1);
    });

    it('return_existing_if_match answers 200 with the existing patient', async () => {
      const p = newPatient({ first_name: 'Maria', last_name: 'Lopez' });
      const first = await create(p);
      const again = await create({ ...p, email: p.email.toUpperCase() }, { return_existing_if_match: true });
      expect(again.status).toBe(200);
      expect(again.body.data.user.id).toBe(first.body.data.user.id);
    });

    it('creates twins with different first names and family members sharing phone and email', async () => {
      const family = { email: 'family@example.com' };
      const bio = { phone_number: '2125550199', date_of_birth: '2010-06-06' };
      expect(
        (
          await create(
            newPatient({ first_name: 'Robert', last_name: 'Twin', ...family }, { ...bio, gender: 'Male' }),
          )
        ).status,
      ).toBe(201);
      expect(
        (
          await create(
            newPatient({ first_name: 'Roberta', last_name: 'Twin', ...family }, { ...bio, gender: 'Female' }),
          )
        ).status,
      ).toBe(201);
      expect(
        (
          await create(
            newPatient(
              { first_name: 'Robert', last_name: 'Twin', ...family },
              { ...bio, date_of_birth: '1980-01-01', gender: 'Male' },
            ),
          )
        ).status,
      ).toBe(201);
    });

    it('twenty identical creates racing each other make exactly one patient', async () => {
      const p = newPatient({ first_name: 'Racer', last_name: 'Concurrent' }, { date_of_birth: '1991-09-09' });
      const answers = await Promise.all(Array.from({ length: 20 }, () => create(p)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 400)).toHaveLength(19);
      for (const a of answers.filter((x) => x.status === 400))
        expect(a.body.error).toEqual(['A patient with that information already exists']);
      expect((await search({ date_of_birth: '1991-09-09' })).body.count).toBe(1);
    });

    it('fills opted-in practice defaults and lists them in demographics_defaulted; defaults are no duplicate evidence', async () => {
      const d = await createTenant(h.server, 'defaults');
      await institutionsRepo(h.server.db.knex).saveSettings(d.institutionId, {
        demographic_defaults: {
          email: 'noemail@practice.example',
          phone_number: '2125550000',
          date_of_birth: '1900-01-01',
          gender: 'Other',
        },
      });
      const a = await create({ first_name: 'Walk', last_name: 'In' }, {}, d);
      expect(a.status).toBe(201);
      expect(a.body.data.user.demographics_defaulted).toEqual([
        'email',
        'phone_number',
        'date_of_birth',
        'gender',
      ]);
      expect(a.body.data.user.email).toBe('noemail@practice.example');
      const b = await create({ first_name: 'Walk', last_name: 'In' }, {}, d);
      expect(b.status).toBe(201);
      // Without opt-in the same body is refused.
      expect((await create({ first_name: 'Walk', last_name: 'In' })).status).toBe(400);
    });

    it('accepts ids in the body as strings of digits, as NexHealth clients send them (SPEC 4.3)', async () => {
      const ok = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { provider: { provider_id: String(t.providerId) }, patient: newPatient() },
        auth: bearer(),
      });
      expect(ok.status).toBe(201);
      expect(ok.body.data.user.provider_id).toBe(t.providerId);
      const bad = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { provider: { provider_id: '12a' }, patient: newPatient() },
        auth: bearer(),
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toEqual(['provider.provider_id must be a number']);
    });

    it('refuses a provider of another location, and answers 404 for another location id', async () => {
      const res = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { provider: { provider_id: t.otherProviderId }, patient: newPatient() },
        auth: bearer(),
      });
      expect(res.status).toBe(400);
      const missing = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: 999999 },
        body: { patient: newPatient() },
        auth: bearer(),
      });
      expect(missing.status).toBe(404);
    });
  });

  describe('bad input never gives a 500', () => {
    it.each([
      ['malformed JSON', { rawBody: '{"patient": ' }, 400],
      ['an array body', { rawBody: '[1,2]' }, 400],
      ['a string id', { body: { patient: { ...newPatient(), first_name: 42 } } }, 400],
      [
        'SQL metacharacters in a name',
        { body: { patient: newPatient({ first_name: "Robert'); DROP TABLE patients;--" }) } },
        201,
      ],
      [
        'Unicode in names',
        { body: { patient: newPatient({ first_name: 'Zoë', last_name: 'Łukasiewicz-Ørsted' }) } },
        201,
      ],
    ])('%s', async (_label, opts, status) => {
      const res = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        auth: bearer(),
        ...opts,
      });
      expect(res.status).toBe(status);
      expect(typeof res.body.code).toBe('boolean');
    });

    it('a body over 1 MiB is refused with 413 in the envelope; a long field under it is a 400 naming it', async () => {
      const res = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        auth: bearer(),
        body: { patient: newPatient({ middle_name: 'x'.repeat(1_100_000) }) },
      });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe(false);
      const long = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        auth: bearer(),
        body: { patient: newPatient({ middle_name: 'x'.repeat(200_000) }) },
      });
      expect(long.status).toBe(400);
      expect(long.body.error.join(' ')).toMatch(/middle_name must be at most/);
    });

    it('an unknown query parameter or body field is a 400 naming each, all in one answer', async () => {
      const res = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId, nmae: 'bob' },
        auth: bearer(),
        body: { favourite_colour: 'red', patient: newPatient() },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual([
        'nmae is not a known parameter',
        'favourite_colour is not a known field',
      ]);
      const list = await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId, nmae: 'bob' },
        auth: bearer(),
      });
      expect(list.status).toBe(400);
      expect(list.body.error).toEqual(['nmae is not a known parameter']);
    });

    it.each([
      ['__proto__', 'Infinity'],
      ['constructor', '1'],
      ['constructor[prototype][x]', '1'],
      ['prototype', 'x'],
      ['toString', 'x'],
    ])('a query key %s is only an unknown parameter, never a 500', async (key, value) => {
      const res = await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId, [key]: value },
        auth: bearer(),
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual([`${key} is not a known parameter`]);
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'a body key %s is only an unknown field, never a 500 and never a change',
      async (key) => {
        const created = await call(h.server, 'POST', '/patients', {
          query: { subdomain: t.subdomain, location_id: t.locationId },
          auth: bearer(),
          body: { patient: newPatient({ first_name: `Proto${key.replace(/_/g, '')}` }) },
        });
        const id = created.body.data.user.id;
        const res = await call(h.server, 'PATCH', `/patients/${id}`, {
          query: { subdomain: t.subdomain },
          auth: bearer(),
          rawBody: `{"${key}":{"first_name":"Changed"},"patient":{"first_name":"Changed"}}`,
        });
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual([`${key} is not a known field`]);
        const after = await call(h.server, 'GET', `/patients/${id}`, {
          query: { subdomain: t.subdomain },
          auth: bearer(),
        });
        expect(after.body.data.first_name).toBe(`Proto${key.replace(/_/g, '')}`);
      },
    );

    it("NexHealth's include[] is accepted on search and read", async () => {
      const res = await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId, 'include[]': 'upcoming_appts' },
        auth: bearer(),
      });
      expect(res.status).toBe(200);
    });

    it.each(['abc', '0', '-1', '1.5', '99999999999999999999', '2147483648'])(
      'GET /patients/%s is a 404',
      async (id) => {
        const res = await call(h.server, 'GET', `/patients/${id}`, {
          query: { subdomain: t.subdomain },
          auth: bearer(),
        });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe(false);
      },
    );

    it('out-of-range pages and per_page are 400s naming the field', async () => {
      expect((await search({ per_page: 1001 })).body.error).toContain('per_page must be at most 1000');
      expect((await search({ page: 0 })).status).toBe(400);
      expect((await search({ page: 'two' })).body.error[0]).toMatch(/^page /);
    });

    it('unknown routes answer a 404 envelope', async () => {
      const res = await call(h.server, 'GET', '/nothing-here', { auth: bearer() });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: false, data: null });
    });
  });

  describe('read and edit (SPEC 4.4, 4.5)', () => {
    it('reads a patient with data as the patient itself', async () => {
      const created = (await create(newPatient())).body.data.user;
      const res = await call(h.server, 'GET', `/patients/${created.id}`, {
        query: { subdomain: t.subdomain },
        auth: bearer(),
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(created);
    });

    it('merges an edit field by field and validates the whole', async () => {
      const created = (
        await create(newPatient({ first_name: 'Edith', last_name: 'Editor' }, { city: 'Boston' }))
      ).body.data.user;
      const path = `/patients/${created.id}`;
      const res = await call(h.server, 'PATCH', path, {
        query: { subdomain: t.subdomain },
        body: { patient: { last_name: 'Married', bio: { phone_number: '212 555 0123' }, inactive: true } },
        auth: bearer(),
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ first_name: 'Edith', last_name: 'Married', inactive: true });
      expect(res.body.data.bio).toMatchObject({
        phone_number: '2125550123',
        city: 'Boston',
        date_of_birth: created.bio.date_of_birth,
      });
      const bad = await call(h.server, 'PATCH', path, {
        query: { subdomain: t.subdomain },
        body: { patient: { email: null } },
        auth: bearer(),
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toEqual(['email is required']);
      const noPatient = await call(h.server, 'PATCH', path, {
        query: { subdomain: t.subdomain },
        body: {},
        auth: bearer(),
      });
      expect(noPatient.status).toBe(400);
      expect(noPatient.body.error).toContain('patient is required');
    });

    it('refuses an edit that would make a duplicate', async () => {
      const a = (
        await create(newPatient({ first_name: 'Dup', last_name: 'Target' }, { date_of_birth: '1977-07-07' }))
      ).body.data.user;
      const b = (
        await create(
          newPatient({ first_name: 'Other', last_name: 'Person' }, { date_of_birth: '1977-07-07' }),
        )
      ).body.data.user;
      const res = await call(h.server, 'PATCH', `/patients/${b.id}`, {
        query: { subdomain: t.subdomain },
        body: { patient: { first_name: 'Dup', last_name: 'Target' } },
        auth: bearer(),
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(['A patient with that information already exists']);
      expect(a.id).not.toBe(b.id);
    });
  });

  describe('search (SPEC 4.2)', () => {
    let jon: any;
    beforeAll(async () => {
      jon = (
        await create(
          newPatient(
            {
              first_name: 'Jonathan',
              last_name: 'Smithson',
              preferred_name: 'Jon',
              email: 'jsmithson@example.com',
            },
            { phone_number: '2125550155', date_of_birth: '1966-06-16', gender: 'Male' },
          ),
        )
      ).body.data.user;
      await create(
        newPatient({ first_name: 'Elizabeth', last_name: 'Garcia-Lopez' }, { date_of_birth: '1988-02-29' }),
      );
      await create(
        newPatient(
          { first_name: 'Priscilla', last_name: 'Zed', email: 'pz@example.com' },
          { inactive: undefined },
        ),
      );
    });

    it.each([
      ['Jonathan Smithson'],
      ['smithson jonathan'],
      ['Smithson, Jonathan'],
      ['Jon Smithson'],
      ['Jonh Smtihson'],
      ['Johnny Smithson'],
      ['Smithson'],
    ])('name %s finds Jonathan Smithson first with reasons', async (name) => {
      const res = await search({ name, per_page: 10 });
      expect(res.status).toBe(200);
      expect(res.body.data.patients[0]?.id).toBe(jon.id);
      expect(res.body.data.patients[0].match.reasons.length).toBeGreaterThan(0);
    });

    it('both parts must match, so a precise query gives a small count', async () => {
      const res = await search({ name: 'Jonathan Garcia' });
      expect(res.body.count).toBe(0);
    });

    it('a part of a hyphenated surname finds it', async () => {
      const res = await search({ name: 'Garcia' });
      expect(res.body.data.patients.map((p: any) => p.last_name)).toContain('Garcia-Lopez');
      expect((await search({ name: 'Liz Lopez' })).body.count).toBe(1);
    });

    it('OR across match parameters: email of one, phone of another', async () => {
      const res = await search({
        email: 'JSMITHSON@example.com',
        phone_number: '(212) 555-0199',
        per_page: 50,
      });
      const ids = res.body.data.patients.map((p: any) => p.id);
      expect(ids).toContain(jon.id);
      expect(res.body.count).toBe(ids.length);
      expect(res.body.count).toBeGreaterThanOrEqual(3);
    });

    it('filters AND with match parameters; count is the total, pages never overlap', async () => {
      const all = await search({ per_page: 1000 });
      const pages = [];
      for (let page = 1; page <= Math.ceil(all.body.count! / 3); page++) {
        const res = await search({ per_page: 3, page, sort: '-name' });
        expect(res.body.count).toBe(all.body.count);
        pages.push(...res.body.data.patients.map((p: any) => p.id));
      }
      expect(new Set(pages).size).toBe(all.body.count);
      const inactive = await search({ inactive: true, per_page: 1000 });
      expect(inactive.body.data.patients.every((p: any) => p.inactive)).toBe(true);
      const active = await search({ inactive: false, per_page: 1000 });
      expect(active.body.count! + inactive.body.count!).toBe(all.body.count);
      expect((await search({ new_patient: false })).body.count).toBe(0);
    });

    it('location_strict keeps only patients seen at the location', async () => {
      const elsewhere = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.otherLocationId },
        body: { patient: newPatient({ first_name: 'Elm', last_name: 'Streeter' }) },
        auth: bearer(),
      });
      expect(elsewhere.status).toBe(201);
      expect((await search({ name: 'Streeter' })).body.count).toBe(1);
      expect((await search({ name: 'Streeter', location_strict: true })).body.count).toBe(0);
    });

    it('foreign_id finds a not-yet-inserted patient by its own id', async () => {
      const res = await search({ foreign_id: String(jon.id) });
      expect(res.body.data.patients.map((p: any) => p.id)).toEqual([jon.id]);
    });

    it('foreign_id_type narrows a foreign id to one system (SPEC 4.2)', async () => {
      const own = await search({ foreign_id: String(jon.id), foreign_id_type: 'nex' });
      expect(own.body.data.patients.map((p: any) => p.id)).toEqual([jon.id]);
      const ids = (r: Awaited<ReturnType<typeof search>>) => r.body.data.patients.map((p: any) => p.id);
      expect(
        ids(await search({ foreign_id: String(jon.id), foreign_id_type: 'ReferenceHRS' })),
      ).not.toContain(jon.id);

      // Booked, so inserted: its foreign id is now the health record system's.
      const created = await call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { patient: newPatient({ first_name: 'Foreign', last_name: 'Typed' }) },
        auth: bearer(),
      });
      const id = created.body.data.user.id;
      const booked = await call(h.server, 'POST', '/appointments', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { appt: { patient_id: id, provider_id: t.providerId, start_time: '2031-03-03T15:00:00Z' } },
        auth: bearer(),
      });
      expect(booked.status).toBe(201);
      const inserted = (
        await call(h.server, 'GET', `/patients/${id}`, { query: { subdomain: t.subdomain }, auth: bearer() })
      ).body.data;
      expect(inserted.foreign_id_type).toBe('ReferenceHRS');
      expect(ids(await search({ foreign_id: inserted.foreign_id, foreign_id_type: 'ReferenceHRS' }))).toEqual(
        [id],
      );
      expect(ids(await search({ foreign_id: inserted.foreign_id, foreign_id_type: 'nex' }))).not.toContain(
        id,
      );

      expect((await search({ foreign_id: 'abc', foreign_id_type: 'nex' })).body.count).toBe(0);
      const alone = await search({ foreign_id_type: 'nex' });
      expect(alone.status).toBe(400);
      expect(alone.body.error).toEqual(['foreign_id_type narrows foreign_id and needs it']);
    });
  });
});
