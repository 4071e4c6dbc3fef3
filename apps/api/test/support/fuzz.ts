// A property-based HTTP fuzzer (issue 13): requests made by fast-check from the operations table and core's
// schemas, then mutated (wrong types, odd keys, huge and deep values, odd unicode, bad credentials, another
// institution's ids, odd content types), sent over real HTTP to a running server. Every answer must be
// below 500, REST answers must be the envelope, and no message may carry a stack, a file path or SQL.
// Used by fuzz.int.test.ts (a few thousand requests in `npm test`) and scripts/fuzz.ts (`npm run fuzz`).
import fc from 'fast-check';
import { operationList } from '../../src/operations';
import type { RunningServer } from '../../src/server';

export interface FuzzTarget {
  server: RunningServer;
  /** The tenant the fuzzer holds a key for, and another one whose subdomain and ids it tries (never its key). */
  own: { subdomain: string; locationId: number; apiKey: string; patientId: number };
  other: { subdomain: string; locationId: number; patientId: number };
}

export interface FuzzRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What a message must never hold: a stack frame, a source path, SQL, a driver's or engine's words. */
const LEAKS =
  /\bat \S+ \(|\.ts:\d+|\.js:\d+|node_modules|\bselect\b.*\bfrom\b|\binsert into\b|\bupdate \w+ set\b|sqlite|postgres|knex|SQLITE_|TypeError|ReferenceError/i;

const ODD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  'a[b][c]',
];
const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  '\uFFFF',
  '\uD800',
  'ﬀ',
  'Ὀδυσσεύς',
  '名前',
  '😀👩‍⚕️',
  "'; DROP TABLE patients; --",
  '%00',
  '../../etc/passwd',
  'null',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  '99999999999999999999',
  '2030-02-30',
  '1964-05-03',
  'true',
];

function text(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ODD_TEXT) },
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 2, arbitrary: fc.nat({ max: 2_000 }).map((n) => 'x'.repeat(n)) },
    // Past the 16 KiB a request line may have, and past a field's limit inside a body.
    { weight: 1, arbitrary: fc.constant('x'.repeat(20_000)) },
  );
}

/** A create body that is valid, for a person made up from a number: creates and duplicates happen too. */
function validCreate(): fc.Arbitrary<unknown> {
  return fc.nat({ max: 500 }).map((n) => ({
    patient: {
      first_name: ['Ann', 'Bob', 'Siobhán', 'José'][n % 4],
      last_name: `Fuzz${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + ((n >> 5) % 26))}`,
      email: `fuzz${n}@example.com`,
      bio: {
        phone_number: `212555${String(1000 + n).slice(-4)}`,
        date_of_birth: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
        gender: 'Female',
      },
    },
  }));
}

/** Any JSON value, odd keys included, nested up to `depth`. */
function jsonValue(depth: number): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(text(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  if (depth === 0) return leaf;
  const key = fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 12 }));
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(jsonValue(depth - 1), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(key, jsonValue(depth - 1), { maxKeys: 4 }) },
  );
}

/** A body close to a valid one (a create, an edit, a booking), with some fields swapped for odd values. */
function nearValidBody(t: FuzzTarget): fc.Arbitrary<unknown> {
  const patient = fc.record(
    {
      first_name: fc.oneof(fc.constantFrom('Ann', 'Bob', 'Siobhán'), jsonValue(1)),
      last_name: fc.oneof(fc.constantFrom('Lee', "O'Brien", 'Garcia-Lopez'), jsonValue(1)),
      email: fc.oneof(fc.constantFrom('ann@example.com', 'not-an-email'), jsonValue(1)),
      bio: fc.oneof(
        fc.record(
          {
            phone_number: fc.oneof(fc.constantFrom('2125550142', '(212) 555-0142', '12'), jsonValue(1)),
            date_of_birth: fc.oneof(fc.constantFrom('1964-05-03', '2999-01-01', '1964-13-45'), jsonValue(1)),
            gender: fc.oneof(fc.constantFrom('Female', 'Male', 'Other', 'female'), jsonValue(1)),
            city: text(),
          },
          { requiredKeys: [] },
        ),
        jsonValue(2),
      ),
    },
    { requiredKeys: [] },
  );
  const id = fc.oneof(
    fc.constantFrom(t.own.patientId, t.other.patientId, 0, -1, 2 ** 31, 1),
    fc.constantFrom('1', '0x1', '1.5', 'abc'),
  );
  return fc.oneof(
    validCreate(),
    fc.record(
      { patient, provider: fc.option(fc.record({ provider_id: id })) },
      { requiredKeys: ['patient'] },
    ),
    fc.record(
      {
        appt: fc.record(
          {
            patient_id: id,
            provider_id: id,
            start_time: fc.oneof(
              fc.constantFrom('2031-01-15T15:00:00Z', '2001-01-01T00:00:00Z', 'soon'),
              text(),
            ),
            end_time: fc.option(text()),
            note: fc.option(text()),
            cancelled: fc.oneof(fc.boolean(), jsonValue(0)),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.constantFrom(...ODD_KEYS, 'patient', 'appt', 'subdomain'), jsonValue(2), { maxKeys: 4 }),
  );
}

function pathId(t: FuzzTarget): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(String(t.own.patientId), String(t.other.patientId), '1', '0', '-1', '2147483648', '1e3'),
    fc.constantFrom('abc', '%00', '..', '1;drop', '%E0%A4%A'),
    fc.nat().map(String),
  );
}

function credentials(t: FuzzTarget): fc.Arbitrary<Record<string, string>> {
  const none: Record<string, string> = {};
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ authorization: `Bearer ${t.own.apiKey}` }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Record<string, string>>(
        none,
        { authorization: '' },
        { authorization: 'Bearer' },
        { authorization: 'Bearer v2.1.1.9999999999.AAAA' },
        { authorization: 'Bearer v1.1.9999999999.AAAA' },
        { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        { authorization: `Bearer ${'x'.repeat(5000)}` },
      ),
    },
  );
}

function queryFor(t: FuzzTarget): fc.Arbitrary<Array<[string, string]>> {
  const known = fc.constantFrom(
    'subdomain',
    'location_id',
    'name',
    'email',
    'phone_number',
    'date_of_birth',
    'foreign_id',
    'inactive',
    'page',
    'per_page',
    'sort',
    'start',
    'end',
    'patient_ids[]',
    'include[]',
    'updated_since',
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: known },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) },
  );
  const base = fc.constantFrom<Array<[string, string]>>(
    [
      ['subdomain', t.own.subdomain],
      ['location_id', String(t.own.locationId)],
    ],
    [
      ['subdomain', t.other.subdomain],
      ['location_id', String(t.other.locationId)],
    ],
    [['subdomain', t.own.subdomain]],
    [],
  );
  return fc
    .tuple(
      base,
      fc.oneof(
        fc.constant([] as Array<[string, string]>),
        fc.array(fc.tuple(key, text()), { minLength: 1, maxLength: 4 }),
      ),
    )
    .map(([b, extra]) => [...b, ...extra]);
}

/** One request: a route of the table (or a tRPC call, or an unknown path) with odd parts. */
export function requests(t: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const routes = operationList().map(({ op, name }) => ({
    method: op.method.toUpperCase(),
    path: op.path,
    name,
  }));
  const rest = fc
    .record({
      route: fc.constantFrom(...routes),
      id: pathId(t),
      query: queryFor(t),
      auth: credentials(t),
      body: fc.oneof(
        { weight: 3, arbitrary: nearValidBody(t).map((b) => JSON.stringify(b)) },
        { weight: 1, arbitrary: jsonValue(3).map((b) => JSON.stringify(b)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '',
            '{',
            '{"a":}',
            '[]',
            'null',
            '"text"',
            '{"a":1,"a":2}',
            `${'['.repeat(5000)}${']'.repeat(5000)}`,
            `{"patient":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
            '\uFEFF{"patient":{}}',
          ),
        },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      from: fc.ipV4(),
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'application/json',
        'application/json',
        'application/json; charset=utf-16',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/vnd.Nexhealth+json;version=2',
      ),
    })
    .map(({ route, id, query, auth, body, from, contentType }) => ({
      method: route.method,
      path: route.path.replace(':id', id),
      query,
      headers: { ...auth, 'content-type': contentType, 'x-forwarded-for': from },
      body: route.method === 'GET' ? undefined : body,
    }));
  const trpc = fc
    .record({ route: fc.constantFrom(...routes), input: jsonValue(3), auth: credentials(t), from: fc.ipV4() })
    .map(({ route, input, auth, from }) => {
      const isQuery = route.method === 'GET';
      return {
        method: isQuery ? 'GET' : 'POST',
        path: `/trpc/${route.name}`,
        query: isQuery ? ([['input', JSON.stringify(input)]] as Array<[string, string]>) : [],
        headers: { ...auth, 'content-type': 'application/json', 'x-forwarded-for': from },
        body: isQuery ? undefined : JSON.stringify(input),
      };
    });
  const stray = fc
    .record({
      path: fc.constantFrom('/', '/patients/1/x', '/%', '/trpc/', '/trpc/nope.nothing', '/docs/../..'),
      auth: credentials(t),
    })
    .map(({ path, auth }) => ({ method: 'GET', path, query: [], headers: auth, body: undefined }));
  return fc.oneof(
    { weight: 8, arbitrary: rest },
    { weight: 2, arbitrary: trpc },
    { weight: 1, arbitrary: stray },
  );
}

export interface Sent {
  status: number;
  problem?: string;
}

/** Sends one request and judges the answer (status < 500, the envelope on REST, no leak in any message). */
export async function send(server: RunningServer, r: FuzzRequest): Promise<Sent> {
  const q = new URLSearchParams(r.query).toString();
  const res = await fetch(`${server.url}${r.path}${q ? `?${q}` : ''}`, {
    method: r.method,
    headers: r.headers,
    body: r.body,
  });
  const text = await res.text();
  if (res.status >= 500) return { status: res.status, problem: `a ${res.status}: ${text.slice(0, 300)}` };
  if (LEAKS.test(text.replace(/"(sqlite|postgres)"/g, '""'))) {
    const m = text.match(LEAKS);
    return { status: res.status, problem: `a leak (${m?.[0]}) in: ${text.slice(0, 300)}` };
  }
  if (r.path.startsWith('/trpc') || r.path.startsWith('/docs')) return { status: res.status };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: res.status, problem: `not JSON: ${text.slice(0, 200)}` };
  }
  const e = body as Record<string, unknown>;
  const envelope =
    typeof e.code === 'boolean' && typeof e.description === 'string' && Array.isArray(e.error) && 'data' in e;
  if (!envelope) return { status: res.status, problem: `not the envelope: ${text.slice(0, 200)}` };
  if (res.status >= 400 && (e.code !== false || (e.error as unknown[]).length === 0)) {
    return { status: res.status, problem: `an error without code false and messages: ${text.slice(0, 200)}` };
  }
  return { status: res.status };
}
