// Speed benchmarks (npm run bench): fuzzy name search by error kind, exact email and phone lookups (the
// floor) and a naive LIKE '%name%' scan (the baseline) through the real search service; creates with the
// duplicate check under 16 concurrent callers; HTTP search throughput and the API's resident memory.
//
//   npm run bench -- [--sizes 10000,100000,1000000] [--engines sqlite,postgres] [--quick] [--seed 42]
//                    [--queries 100] [--seconds 10]
//
// --quick (CI): 2000 patients, short runs. Populations are generated once and kept in bench/out (one database
// per engine and size); the create phase works on a throw-away copy. Tables go to bench/out/bench.md too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { searchPatientsInput } from '@patients/core';
import type { Knex } from 'knex';
import { buildService } from './api';
import {
  copyDatabase,
  dropDatabase,
  type EngineName,
  engineVersion,
  ensurePopulation,
  OUT_DIR,
  type Population,
  populationName,
  postgresAnswers,
  warmPopulation,
} from './databases';
import { type CreateContext, createInput } from './duplicateEval';
import { QUERY_KINDS } from './errorModel';
import { generatePatients, type PatientRecord, toRecord } from './generate';
import { httpSearchLoad } from './httpLoad';
import { deriveSeed, mulberry32, type Random } from './random';
import { machineLine, markdownTable } from './report';
import { makeQueries, type StoredName } from './searchEval';
import { ms, percentile } from './stats';

interface Row {
  what: string;
  size: number;
  p50: number;
  p99: number;
  throughput: string;
  ratio: string;
  /** Operations per second, for the targets. */
  rate?: number;
  /** Resident bytes, for the memory target. */
  bytes?: number;
}

interface Settings {
  sizes: number[];
  engines: EngineName[];
  seed: number;
  perKind: number;
  seconds: number;
  budgetMs: number;
  connections: number;
}

function settings(args: string[]): Settings {
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes('--quick');
  return {
    sizes: (opt('sizes') ?? (quick ? '2000' : '10000,100000,1000000')).split(',').map(Number),
    engines: (opt('engines') ?? 'sqlite,postgres').split(',') as EngineName[],
    seed: Number(opt('seed') ?? '42'),
    perKind: Number(opt('queries') ?? (quick ? '20' : '100')),
    seconds: Number(opt('seconds') ?? (quick ? '2' : '10')),
    budgetMs: quick ? 1500 : 15_000,
    connections: 16,
  };
}

type Sampled = StoredName & PatientRecord;

/** Records of the population drawn at random by id. */
async function sample(knex: Knex, institutionId: number, n: number, random: Random): Promise<Sampled[]> {
  const range = await knex('patients')
    .where({ institution_id: institutionId })
    .min({ lo: 'id' })
    .max({ hi: 'id' })
    .first();
  const lo = Number(range?.lo);
  const hi = Number(range?.hi);
  const ids = [...new Set(Array.from({ length: n }, () => random.int(lo, hi)))];
  const out: Sampled[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await knex('patients')
        .where({ institution_id: institutionId })
        .whereIn('id', ids.slice(i, i + 500))),
    );
  }
  return out;
}

/** Times `work` over the items, sequentially, until they run out or the budget is spent. */
async function timed<T>(
  items: readonly T[],
  budgetMs: number,
  work: (item: T) => Promise<unknown>,
): Promise<number[]> {
  for (const item of items.slice(0, 5)) await work(item); // warm-up
  const out: number[] = [];
  const started = performance.now();
  for (const item of items) {
    const t = performance.now();
    await work(item);
    out.push(performance.now() - t);
    if (performance.now() - started > budgetMs) break;
  }
  return out;
}

function row(what: string, size: number, times: number[], baselineP50?: number): Row {
  const p50 = percentile(times, 50);
  const total = times.reduce((s, t) => s + t, 0);
  return {
    what: `${what} (n=${times.length})`,
    size,
    p50,
    p99: percentile(times, 99),
    throughput: `${((times.length / total) * 1000).toFixed(0)}/s`,
    ratio: baselineP50 ? `${(baselineP50 / p50).toFixed(1)}× faster` : '',
    rate: (times.length / total) * 1000,
  };
}

async function searchRows(population: Population, s: Settings, log: (l: string) => void): Promise<Row[]> {
  warmPopulation(population);
  const service = await buildService({
    databaseUrl: population.url,
    logLevel: 'silent',
    tokenSecret: 'bench',
  });
  const { knex } = service.db;
  const { tenant, size } = population;
  const iid = tenant.institutionId;
  const random = mulberry32(deriveSeed(s.seed, `bench ${size}`));
  try {
    const records = await sample(knex, iid, Math.max(2000, s.perKind * 30), random);
    const queries = makeQueries(records, s.perKind, random);
    const input = (fields: Record<string, unknown>) =>
      searchPatientsInput.parse({
        subdomain: tenant.subdomain,
        location_id: tenant.locationId,
        per_page: 10,
        ...fields,
      });
    const search = (fields: Record<string, unknown>) => service.services.patients.search(iid, input(fields));

    const likeOp = service.db.engine === 'postgres' ? 'ILIKE' : 'LIKE';
    const like = await timed(records.slice(0, s.perKind), s.budgetMs, (r) =>
      knex('patients')
        .where('institution_id', iid)
        .whereRaw(`(first_name || ' ' || last_name) ${likeOp} ?`, [`%${r.first_name} ${r.last_name}%`])
        .select('id'),
    );
    const baseline = percentile(like, 50);
    const rows: Row[] = [row(`LIKE '%first last%' scan (baseline)`, size, like)];
    for (const kind of QUERY_KINDS) {
      const mine = queries.filter((q) => q.kind === kind);
      rows.push(
        row(`name: ${kind}`, size, await timed(mine, s.budgetMs, (q) => search({ name: q.text })), baseline),
      );
      log(`  ${population.engine} ${size}: ${rows.at(-1)!.what} p50 ${ms(rows.at(-1)!.p50)}`);
    }
    const all = queries.map((q) => q.text);
    rows.push(
      row('name: all kinds', size, await timed(all, s.budgetMs, (name) => search({ name })), baseline),
    );
    const some = records.slice(0, s.perKind);
    rows.push(
      row(
        'email lookup (floor)',
        size,
        await timed(some, s.budgetMs, (r) => search({ email: r.email })),
        baseline,
      ),
    );
    rows.push(
      row(
        'phone lookup (floor)',
        size,
        await timed(some, s.budgetMs, (r) => search({ phone_number: r.phone_number })),
        baseline,
      ),
    );
    return rows;
  } finally {
    await service.db.knex.destroy();
  }
}

/** Creates through the create service, 16 callers at once, on a throw-away copy of the population. */
async function createRow(population: Population, s: Settings): Promise<Row> {
  const scratch = `bench_scratch_${process.pid}`;
  const url = await copyDatabase(population.engine, population.name, scratch);
  const service = await buildService({ databaseUrl: url, logLevel: 'silent', tokenSecret: 'bench' });
  const { tenant } = population;
  const ctx: CreateContext = {
    subdomain: tenant.subdomain,
    locationId: tenant.locationId,
    providerId: tenant.providerId,
    create: (input) => service.services.patients.create(tenant.institutionId, input),
  };
  const people = generatePatients(Number.MAX_SAFE_INTEGER, deriveSeed(s.seed, 'creates'));
  const times: number[] = [];
  let refused = 0;
  let errors = 0;
  const deadline = performance.now() + s.seconds * 1000;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: s.connections }, async () => {
        while (performance.now() < deadline) {
          const next = people.next();
          if (next.done) return;
          const t = performance.now();
          try {
            await ctx.create(createInput(ctx, toRecord(next.value)));
          } catch (e) {
            if (e instanceof Error && /already exists/.test(e.message)) refused++;
            else errors++;
          }
          times.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      what: `create with duplicate check, ${s.connections} callers (n=${times.length}, ${refused} refused, ${errors} errors)`,
      size: population.size,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      throughput: `${(times.length / seconds).toFixed(0)}/s`,
      ratio: '',
      rate: times.length / seconds,
    };
  } finally {
    await service.db.knex.destroy();
    await dropDatabase(population.engine, scratch);
  }
}

async function httpRows(population: Population, s: Settings): Promise<Row[]> {
  warmPopulation(population);
  const service = await buildService({
    databaseUrl: population.url,
    logLevel: 'silent',
    tokenSecret: 'bench',
  });
  const random = mulberry32(deriveSeed(s.seed, 'http'));
  const records = await sample(service.db.knex, population.tenant.institutionId, 1000, random);
  await service.db.knex.destroy();
  const names = makeQueries(records, 50, random).map((q) => q.text);
  const r = await httpSearchLoad({
    databaseUrl: population.url,
    institutionId: population.tenant.institutionId,
    subdomain: population.tenant.subdomain,
    locationId: population.tenant.locationId,
    names,
    seconds: s.seconds,
    connections: s.connections,
  });
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  return [
    {
      what: `HTTP name search, autocannon ${s.connections} connections ${s.seconds} s (${r.non2xx} non-2xx, ${r.errors} errors)`,
      size: population.size,
      p50: r.p50,
      p99: r.p99,
      throughput: `${r.requestsPerSecond.toFixed(0)} req/s`,
      ratio: '',
      rate: r.requestsPerSecond,
    },
    {
      what: `API resident memory (rss): idle ${mb(r.rssIdle)}, peak under load`,
      size: population.size,
      p50: Number.NaN,
      p99: Number.NaN,
      throughput: mb(r.rssPeak),
      ratio: '',
      bytes: r.rssPeak,
    },
  ];
}

/** Issue 5's targets against this run's figures, each marked met or missed (they are set for 1M patients). */
function targets(engine: EngineName, rows: Row[], largest: number, httpSize: number): string[] {
  const find = (prefix: string, size: number) =>
    rows.find((r) => r.what.startsWith(prefix) && r.size === size);
  const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
  const out = [
    `Targets (set for 1,000,000 patients; this run's largest is ${largest.toLocaleString('en-US')}):`,
  ];
  const fuzzy = find('name: all kinds', largest);
  const like = find('LIKE', largest);
  const p99Target = engine === 'sqlite' ? 20 : 30;
  if (fuzzy)
    out.push(`- fuzzy name p99 ${ms(fuzzy.p99)} (≤ ${p99Target} ms): ${mark(fuzzy.p99 <= p99Target)}`);
  if (fuzzy && like) {
    const times = like.p50 / fuzzy.p50;
    out.push(
      `- fuzzy name ${times.toFixed(0)}× faster than the LIKE scan at p50 (≥ 50×): ${mark(times >= 50)}`,
    );
  }
  const create = find('create', largest);
  if (create?.rate)
    out.push(`- creates ${create.rate.toFixed(0)}/s (≥ 1,000/s): ${mark(create.rate >= 1000)}`);
  const http = find('HTTP', httpSize);
  if (http?.rate) {
    const ok = http.rate >= 2000 && http.p99 <= 25;
    out.push(
      `- HTTP at ${httpSize.toLocaleString('en-US')}: ${http.rate.toFixed(0)} req/s, p99 ${ms(http.p99)} (≥ 2,000 req/s at p99 ≤ 25 ms): ${mark(ok)}`,
    );
  }
  const rss = find('API resident memory', largest);
  if (rss?.bytes) {
    const mib = rss.bytes / 2 ** 20;
    out.push(`- resident memory ${mib.toFixed(0)} MiB under load (≤ 250 MiB): ${mark(mib <= 250)}`);
  }
  return out;
}

async function main(args: string[]): Promise<void> {
  const s = settings(args);
  const log = (line: string) => console.error(line);
  const sections: string[] = [];
  const versions: Record<string, string> = {};
  for (const engine of s.engines) {
    if (engine === 'postgres' && !(await postgresAnswers())) {
      sections.push(`## postgres\n\nSkipped: no PostgreSQL answers at BENCH_PG_URL.`);
      continue;
    }
    const populations: Population[] = [];
    for (const size of s.sizes) {
      populations.push(
        await ensurePopulation(engine, populationName('pop', size, s.seed), size, s.seed, log),
      );
    }
    versions[engine] = await engineVersion(populations[0]!.url);
    const rows: Row[] = [];
    for (const p of populations) rows.push(...(await searchRows(p, s, log)));
    const largest = populations.reduce((a, b) => (b.size > a.size ? b : a));
    log(`  ${engine}: creates at ${largest.size}`);
    rows.push(await createRow(largest, s));
    const httpPopulation = populations.reduce((a, b) =>
      Math.abs(b.size - 100_000) < Math.abs(a.size - 100_000) ? b : a,
    );
    log(`  ${engine}: HTTP at ${httpPopulation.size}`);
    rows.push(...(await httpRows(httpPopulation, s)));
    if (largest !== httpPopulation) {
      log(`  ${engine}: HTTP at ${largest.size}`);
      rows.push(...(await httpRows(largest, s)));
    }
    const loads = populations
      .filter((p) => p.loadSeconds)
      .map(
        (p) =>
          `${p.size} loaded in ${p.loadSeconds.toFixed(0)} s (${(p.size / p.loadSeconds).toFixed(0)} rows/s)`,
      );
    sections.push(
      [
        `## ${engine}`,
        '',
        markdownTable(
          ['what', 'size', 'p50', 'p99', 'throughput', 'vs the LIKE baseline (p50)'],
          rows.map((r) => [r.what, String(r.size), ms(r.p50), ms(r.p99), r.throughput, r.ratio]),
        ),
        '',
        ...targets(engine, rows, largest.size, httpPopulation.size),
        ...(loads.length ? ['', `Population loads this run: ${loads.join('; ')}.`] : []),
      ].join('\n'),
    );
  }
  const report = [
    '# Benchmarks',
    '',
    machineLine(versions),
    `Seed ${s.seed}; up to ${s.perKind} queries per kind, sequential, in-process through the search service (per_page 10); throughput = 1 / mean for one caller.`,
    '',
    ...sections.flatMap((x) => [x, '']),
  ].join('\n');
  console.log(report);
  writeFileSync(join(OUT_DIR, 'bench.md'), report);
}

await main(process.argv.slice(2));
