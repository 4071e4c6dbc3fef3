// The measured scenarios, each against the product server over HTTP (server.ts, product.ts): search latency
// by query kind, HTTP throughput and resident memory, creates, an import beside API clients, and a database
// grown by API creates. Shared by bench.ts and apiGrownCheck.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmpty, databaseUrl, dropDatabase, type EngineName, populationFile } from './databases';
import { QUERY_KINDS } from './errorModel';
import { generatePatients, type PatientRecord, toRecord } from './generate';
import { httpSearchLoad } from './httpLoad';
import {
  adminImport,
  type BenchTenant,
  createMany,
  createOverHttp,
  type ProductTenant,
  searchPath,
  setupTenant,
  timedSearches,
} from './product';
import { deriveSeed, mulberry32 } from './random';
import { makeQueries } from './searchEval';
import { type RunningServer, request, startProductServer, TimeoutError } from './server';
import { ms, percentile } from './stats';

/** "after load": the server that ran while the import or the creates happened; "after restart": a new one. */
export type State = 'after load' | 'after restart' | '';

export interface Row {
  what: string;
  size: number;
  state: State;
  p50: number;
  p99: number;
  throughput: string;
  /** Filled in for search rows once the LIKE baseline is known. */
  ratio: string;
  /** Operations per second, for the targets. */
  rate?: number;
  /** Resident bytes, for the memory target. */
  bytes?: number;
  max?: number;
  timeouts?: number;
}

export interface Settings {
  seed: number;
  perKind: number;
  seconds: number;
  budgetMs: number;
}

export type Sampled = PatientRecord & { id: number };

export function timesRow(what: string, size: number, state: State, times: number[]): Row {
  const total = times.reduce((s, t) => s + t, 0);
  return {
    what: `${what} (n=${times.length})`,
    size,
    state,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    throughput: `${((times.length / total) * 1000).toFixed(0)}/s`,
    ratio: '',
    rate: (times.length / total) * 1000,
    max: Math.max(...times),
  };
}

/**
 * Sequential searches (one caller, per_page 10) by query kind, then all kinds, email and phone. The same
 * queries in every state (the random stream depends on the size and seed only).
 */
export async function searchRows(
  server: RunningServer,
  tenant: ProductTenant,
  records: readonly Sampled[],
  size: number,
  state: State,
  s: Settings,
  log: (l: string) => void,
): Promise<Row[]> {
  const random = mulberry32(deriveSeed(s.seed, `bench ${size}`));
  const queries = makeQueries(records, s.perKind, random);
  const rows: Row[] = [];
  for (const kind of QUERY_KINDS) {
    const mine = queries.filter((q) => q.kind === kind).map((q) => ({ name: q.text }));
    rows.push(timesRow(`name: ${kind}`, size, state, await timedSearches(server, tenant, mine, s.budgetMs)));
  }
  const all = queries.map((q) => ({ name: q.text }));
  rows.push(timesRow('name: all kinds', size, state, await timedSearches(server, tenant, all, s.budgetMs)));
  const some = records.slice(0, s.perKind);
  const floors: Array<[string, (r: Sampled) => Record<string, string>]> = [
    ['email lookup (floor)', (r) => ({ email: r.email })],
    ['phone lookup (floor)', (r) => ({ phone_number: r.phone_number })],
  ];
  for (const [what, fields] of floors) {
    rows.push(timesRow(what, size, state, await timedSearches(server, tenant, some.map(fields), s.budgetMs)));
  }
  const allKinds = rows.at(-3)!;
  log(`    ${size} ${state}: name all kinds p50 ${ms(allKinds.p50)} p99 ${ms(allKinds.p99)}`);
  return rows;
}

/** autocannon name searches with `connections` connections for `seconds`, and the server's VmRSS. */
export async function httpRows(
  server: RunningServer,
  tenant: ProductTenant,
  records: readonly Sampled[],
  size: number,
  state: State,
  s: Settings,
  connections = 16,
): Promise<Row[]> {
  const random = mulberry32(deriveSeed(s.seed, 'http'));
  const names = makeQueries(records, 50, random).map((q) => q.text);
  const r = await httpSearchLoad({ server, tenant, names, seconds: s.seconds, connections });
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  return [
    {
      what: `HTTP name search, autocannon ${connections} connections ${s.seconds} s (${r.non2xx} non-2xx, ${r.errors} errors)`,
      size,
      state,
      p50: r.p50,
      p99: r.p99,
      throughput: `${r.requestsPerSecond.toFixed(0)} req/s`,
      ratio: '',
      rate: r.requestsPerSecond,
    },
    {
      what: `server resident memory (VmRSS): idle ${mb(r.rssIdle)}, peak under that load`,
      size,
      state,
      p50: Number.NaN,
      p99: Number.NaN,
      throughput: mb(r.rssPeak),
      ratio: '',
      bytes: r.rssPeak,
    },
  ];
}

/** `POST /patients` from `connections` callers for `seconds`, on a server over `url` (a copy: it writes). */
export async function createRows(
  url: string,
  tenant: ProductTenant,
  size: number,
  s: Settings,
  connections = 16,
  /** With one webhook endpoint subscribed to patient_created, answered by a receiver in this process. */
  webhook = false,
): Promise<Row> {
  const server = await startProductServer(url);
  const receiver = webhook ? await webhookReceiver(server, tenant) : undefined;
  try {
    const people = (function* () {
      for (const p of generatePatients(Number.MAX_SAFE_INTEGER, deriveSeed(s.seed, 'creates')))
        yield toRecord(p);
    })();
    const run = await createMany(server, tenant, people, { inFlight: connections, seconds: s.seconds });
    const hooked = receiver
      ? `, 1 webhook endpoint subscribed: ${receiver.received()} delivered meanwhile`
      : '';
    return {
      what: `POST /patients, ${connections} connections ${s.seconds} s${hooked} (n=${run.times.length}: ${run.created.length} created, ${run.refused} refused, ${run.errors} errors${run.firstError ? `, first: ${run.firstError.slice(0, 80)}` : ''})`,
      size,
      state: 'after restart',
      p50: percentile(run.times, 50),
      p99: percentile(run.times, 99),
      throughput: `${(run.created.length / run.seconds).toFixed(0)} created/s`,
      ratio: '',
      rate: run.created.length / run.seconds,
    };
  } finally {
    await server.stop();
    await receiver?.close();
  }
}

/** A receiver on loopback answering 204, registered through the API and subscribed to patient_created. */
async function webhookReceiver(server: { url: string }, tenant: ProductTenant) {
  let count = 0;
  const rx = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
  const headers = { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' };
  const made = await fetch(`${server.url}/webhook_endpoints?subdomain=${tenant.subdomain}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ target_url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook` }),
  });
  const { data } = (await made.json()) as { data: { id: number } };
  await fetch(
    `${server.url}/webhook_endpoints/${data.id}/webhook_subscriptions?subdomain=${tenant.subdomain}`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({ resource_type: 'Patient', event: 'patient_created' }),
    },
  );
  return {
    received: () => count,
    close: () => new Promise<void>((r) => rx.close(() => r())),
  };
}

/**
 * An `admin import` of `rows` new patients into the database at `url` (a copy) while 8 HTTP clients run
 * against its server: 3 name searches, 2 creates, 2 edits (PATCH of patients the clients created), 1
 * /healthz, each in a loop until the import ends (30 min at most). A request over 30 s is a timeout.
 */
export async function importBesideClients(
  url: string,
  tenant: ProductTenant,
  records: readonly Sampled[],
  size: number,
  rows: number,
  s: Settings,
  log: (l: string) => void,
): Promise<Row[]> {
  const file = await populationFile(rows, deriveSeed(s.seed, 'import beside'));
  const server = await startProductServer(url);
  const times: Record<string, number[]> = { search: [], create: [], edit: [], healthz: [] };
  const failures: Record<string, number> = { search: 0, create: 0, edit: 0, healthz: 0 };
  const timeouts: Record<string, number> = { search: 0, create: 0, edit: 0, healthz: 0 };
  const names = makeQueries(records, 30, mulberry32(deriveSeed(s.seed, 'beside'))).map((q) => q.text);
  const people = (function* () {
    for (const p of generatePatients(Number.MAX_SAFE_INTEGER, deriveSeed(s.seed, 'beside creates')))
      yield toRecord(p);
  })();
  const mine: number[] = [];
  let done = false;
  const hardStop = performance.now() + 30 * 60_000;
  const timedCall = async (kind: string, call: () => Promise<boolean>) => {
    const t = performance.now();
    try {
      if (!(await call())) failures[kind]!++;
    } catch (e) {
      if (e instanceof TimeoutError) timeouts[kind]!++;
      else failures[kind]!++;
    }
    times[kind]!.push(performance.now() - t);
  };
  const client = async (kind: string, i: number) => {
    let n = i;
    while (!done && performance.now() < hardStop) {
      n++;
      if (kind === 'search') {
        const path = searchPath(tenant, { name: names[n % names.length]! });
        await timedCall(
          kind,
          async () => (await request(server.url, 'GET', path, tenant.apiKey)).status === 200,
        );
      } else if (kind === 'create' || (kind === 'edit' && !mine.length)) {
        const p = people.next().value as PatientRecord;
        await timedCall('create', async () => {
          const outcome = await createOverHttp(server, tenant, p);
          if ('created' in outcome) mine.push(outcome.created);
          if ('error' in outcome && outcome.error === 'timeout') throw new TimeoutError();
          return !('error' in outcome);
        });
      } else if (kind === 'edit') {
        const id = mine[n % mine.length]!;
        await timedCall(kind, async () => {
          const res = await request(
            server.url,
            'PATCH',
            `/patients/${id}?subdomain=${tenant.subdomain}`,
            tenant.apiKey,
            {
              patient: { middle_name: n % 2 ? 'Bench' : 'Edit' },
            },
          );
          return res.status === 200;
        });
      } else {
        await timedCall(kind, async () => (await request(server.url, 'GET', '/healthz')).status === 200);
      }
    }
  };
  try {
    const kinds = ['search', 'search', 'search', 'create', 'create', 'edit', 'edit', 'healthz'];
    const clients = kinds.map((k, i) => client(k, i * 1000));
    log(`  admin import of ${rows} beside 8 clients`);
    let summary: Awaited<ReturnType<typeof adminImport>> | undefined;
    let importError: unknown;
    try {
      summary = await adminImport(url, tenant, file);
    } catch (e) {
      importError = e;
    } finally {
      done = true;
      await Promise.all(clients);
    }
    const out: Row[] = [
      {
        what: importError
          ? `admin import of ${rows} beside 8 clients: FAILED ${String(importError).slice(0, 200)}`
          : `admin import of ${rows} beside 8 clients (${summary!.created} created, ${summary!.duplicates} duplicates, ${summary!.rejected} rejected; command's own figure ${summary!.reported.seconds} s)`,
        size,
        state: '',
        p50: Number.NaN,
        p99: Number.NaN,
        throughput: summary
          ? `${summary.seconds.toFixed(1)} s, ${(summary.created / summary.seconds).toFixed(0)} rows/s`
          : '',
        ratio: '',
      },
    ];
    for (const kind of Object.keys(times)) {
      const t = times[kind]!;
      if (!t.length) continue;
      const r = timesRow(
        `during the import: ${kind === 'search' ? 'name search' : kind === 'healthz' ? 'GET /healthz' : kind === 'edit' ? 'PATCH /patients/:id' : 'POST /patients'}, max ${ms(Math.max(...t))}, ${timeouts[kind]} timeouts, ${failures[kind]} failed`,
        size,
        '',
        t,
      );
      r.timeouts = timeouts[kind];
      out.push(r);
    }
    const all = Object.values(times).flat();
    const total = timesRow(
      `during the import: every API request, max ${ms(Math.max(...all))}, ${Object.values(timeouts).reduce((a, b) => a + b, 0)} timeouts`,
      size,
      '',
      all,
    );
    total.timeouts = Object.values(timeouts).reduce((a, b) => a + b, 0);
    out.push(total);
    return out;
  } finally {
    await server.stop();
  }
}

export interface GrownResult {
  rows: Row[];
  /** Name searches (all kinds) and email lookups of the state without a restart, for the CI check. */
  nameAfterLoad: number[];
  emailAfterLoad: number[];
}

/**
 * A fresh database grown by `count` API creates (8 in flight) on a server started on it, then searched
 * without a restart, then (unless `restart` is false) after one. The database is dropped at the end.
 */
export async function apiGrown(
  engine: EngineName,
  count: number,
  s: Settings,
  log: (l: string) => void,
  options: { restart?: boolean; nameQueries?: number; inFlight?: number } = {},
): Promise<GrownResult> {
  const name = `bench_grown_${process.pid}`;
  const url = databaseUrl(engine, name);
  await createEmpty(engine, name);
  const inFlight = options.inFlight ?? 8;
  try {
    const tenant = await setupTenant(url, 'bench');
    let server = await startProductServer(url);
    const rows: Row[] = [];
    let nameAfterLoad: number[] = [];
    let emailAfterLoad: number[] = [];
    try {
      const people = (function* () {
        for (const p of generatePatients(count, deriveSeed(s.seed, 'grown'))) yield toRecord(p);
      })();
      log(`  ${engine}: growing a database by ${count} POST /patients, ${inFlight} in flight`);
      const run = await createMany(server, tenant, people, {
        inFlight,
        count,
        onProgress: (n) => log(`    ${n}/${count}`),
      });
      rows.push({
        what: `growth: POST /patients, ${inFlight} in flight (n=${run.times.length}: ${run.created.length} created, ${run.refused} refused, ${run.errors} errors${run.firstError ? `, first: ${run.firstError.slice(0, 80)}` : ''})`,
        size: run.created.length,
        state: '',
        p50: percentile(run.times, 50),
        p99: percentile(run.times, 99),
        throughput: `${(run.created.length / run.seconds).toFixed(0)} created/s`,
        ratio: '',
        rate: run.created.length / run.seconds,
      });
      const records = run.created;
      const size = records.length;
      const random = mulberry32(deriveSeed(s.seed, 'grown queries'));
      const perKind = Math.ceil((options.nameQueries ?? s.perKind * QUERY_KINDS.length) / QUERY_KINDS.length);
      const names = makeQueries(records, perKind, random).map((q) => ({ name: q.text }));
      const emails = Array.from({ length: names.length }, () => ({ email: random.pick(records).email }));
      const phones = emails.map((_, i) => ({ phone_number: records[i % records.length]!.phone_number }));
      const measure = async (state: State) => {
        const n = await timedSearches(server, tenant, names, s.budgetMs);
        const e = await timedSearches(server, tenant, emails, s.budgetMs);
        const p = await timedSearches(server, tenant, phones, s.budgetMs);
        rows.push(timesRow('grown: name, all kinds', size, state, n));
        rows.push(timesRow('grown: email lookup', size, state, e));
        rows.push(timesRow('grown: phone lookup', size, state, p));
        log(
          `    grown ${size} ${state}: name p50 ${ms(percentile(n, 50))} p99 ${ms(percentile(n, 99))}; email p50 ${ms(percentile(e, 50))} p99 ${ms(percentile(e, 99))}`,
        );
        return [n, e] as const;
      };
      [nameAfterLoad, emailAfterLoad] = await measure('after load');
      if (options.restart !== false) {
        await server.stop();
        server = await startProductServer(url);
        await measure('after restart');
      }
    } finally {
      await server.stop();
    }
    return { rows, nameAfterLoad, emailAfterLoad };
  } finally {
    await dropDatabase(engine, name);
  }
}

export type { BenchTenant };
