// Search and duplicate-detection quality, measured through the real services (npm run eval).
//
//   npm run eval -- [--size 20000] [--engine sqlite|postgres] [--seed 42] [--queries 200] [--households 200]
//
// The population (generate.ts) is loaded once into bench/out (SQLite file or PostgreSQL database) and reused;
// each run works on a copy, since the duplicate part creates patients. The error model is in errorModel.ts,
// the scoring rules in searchEval.ts and duplicateEval.ts. Writes the report to bench/out/eval.md as well.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildService } from './api';
import {
  copyDatabase,
  dropDatabase,
  type EngineName,
  engineVersion,
  ensurePopulation,
  OUT_DIR,
  populationName,
} from './databases';
import { type CreateContext, evaluateFamilies, evaluateMissed } from './duplicateEval';
import type { PatientRecord } from './generate';
import { deriveSeed } from './random';
import { machineLine, markdownTable } from './report';
import { evaluateSearch, nameSearchInput, type StoredName } from './searchEval';
import { pct } from './stats';

export const TARGETS = {
  recallAt10: 0.995,
  top1: 0.97,
  meanResults: 25,
  falseRefusals: 0,
  missedDuplicates: 0.005,
};

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');

async function main(args: string[]): Promise<void> {
  const size = Number(option(args, 'size', '20000'));
  const engine = option(args, 'engine', 'sqlite') as EngineName;
  const seed = Number(option(args, 'seed', '42'));
  const perKind = Number(option(args, 'queries', size <= 5000 ? '100' : '200'));
  const households = Number(option(args, 'households', size <= 5000 ? '60' : '200'));
  const log = (line: string) => console.error(line);
  const started = performance.now();

  const base = populationName('pop', size, seed);
  const population = await ensurePopulation(engine, base, size, seed, log);
  if (population.loadSeconds) log(`loaded ${size} patients in ${population.loadSeconds.toFixed(1)} s`);
  const workName = `bench_eval_work_${process.pid}`;
  const workUrl = await copyDatabase(engine, base, workName);
  const version = await engineVersion(workUrl);
  const service = await buildService({ databaseUrl: workUrl, logLevel: 'silent', tokenSecret: 'bench' });
  const { tenant } = population;
  const iid = tenant.institutionId;
  try {
    const stored: Array<PatientRecord & StoredName> = await service.db
      .knex('patients')
      .where({ institution_id: iid })
      .select(
        'id',
        'first_name',
        'last_name',
        'middle_name',
        'preferred_name',
        'email',
        'phone_number',
        'date_of_birth',
        'gender',
      );

    const searchStarted = performance.now();
    const search = await evaluateSearch(
      stored,
      (name) =>
        service.services.patients.search(iid, nameSearchInput(tenant.subdomain, tenant.locationId, name)),
      perKind,
      deriveSeed(seed, 'eval queries'),
    );
    const searchSeconds = (performance.now() - searchStarted) / 1000;

    const ctx: CreateContext = {
      subdomain: tenant.subdomain,
      locationId: tenant.locationId,
      providerId: tenant.providerId,
      create: (input) => service.services.patients.create(iid, input),
    };
    const families = await evaluateFamilies(
      ctx,
      service.db.knex,
      iid,
      households,
      deriveSeed(seed, 'families'),
    );
    const missed = await evaluateMissed(
      ctx,
      stored,
      Math.ceil(households / 2),
      deriveSeed(seed, 'reentries'),
    );
    const missedAll = missed.at(-1)!;

    const overall = search.at(-1)!;
    const lines: string[] = [];
    lines.push(`# Search and duplicate quality: ${size} patients, ${engine}`);
    lines.push('');
    lines.push(machineLine({ engine: version }));
    lines.push(
      `Seed ${seed}; ${perKind} queries per kind; per_page 10. Search part ${searchSeconds.toFixed(1)} s.`,
    );
    lines.push('');
    lines.push(
      markdownTable(
        ['kind', 'queries', 'recall@10', 'top-1', 'mean results', 'top-1 strict'],
        search.map((r) => [
          r.kind === 'overall' ? '**overall**' : r.kind,
          String(r.queries),
          pct(r.recallAt10),
          pct(r.top1),
          r.meanResults.toFixed(1),
          pct(r.top1Strict),
        ]),
      ),
    );
    lines.push('');
    lines.push(
      `Targets: recall@10 ≥ ${pct(TARGETS.recallAt10)} ${mark(overall.recallAt10 >= TARGETS.recallAt10)}, ` +
        `top-1 ≥ ${pct(TARGETS.top1, 0)} ${mark(overall.top1 >= TARGETS.top1)}, ` +
        `mean results ≤ ${TARGETS.meanResults} ${mark(overall.meanResults <= TARGETS.meanResults)} (overall).`,
    );
    lines.push('');
    lines.push(
      `False duplicate refusals: ${families.falseRefusals} of ${families.people} twins and family members ` +
        `(${families.households} households) — target 0 ${mark(families.falseRefusals === 0)}` +
        (families.chanceCollisions
          ? `; ${families.chanceCollisions} refused as the same patient as an unrelated stored record by the core rule itself (chance collisions, not counted)`
          : '') +
        (families.errors ? `; ${families.errors} other errors` : ''),
    );
    const missedRate = missedAll.missed / missedAll.attempts;
    lines.push(
      `Missed duplicates: ${missedAll.missed} of ${missedAll.attempts} re-entries created (${pct(missedRate, 2)}) — target ≤ ${pct(TARGETS.missedDuplicates)} ${mark(missedRate <= TARGETS.missedDuplicates)}` +
        (missedAll.errors ? `; ${missedAll.errors} other errors` : ''),
    );
    lines.push('');
    lines.push(
      markdownTable(
        ['re-entry', 'attempts', 'created (missed)', 'errors'],
        missed.map((r) => [
          r.kind === 'overall' ? '**overall**' : r.kind,
          String(r.attempts),
          String(r.missed),
          String(r.errors),
        ]),
      ),
    );
    const examples = [
      ...search.flatMap((r) => r.misses.map((m) => `search (${r.kind}): ${m}`)),
      ...families.examples,
      ...missed.flatMap((r) => r.examples.map((m) => `re-entry (${r.kind}): ${m}`)),
    ];
    if (examples.length) {
      lines.push('');
      lines.push('Examples:');
      lines.push('');
      for (const e of examples) lines.push(`- ${e}`);
    }
    lines.push('');
    lines.push(`Total ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    const report = lines.join('\n');
    console.log(report);
    writeFileSync(join(OUT_DIR, 'eval.md'), `${report}\n`);
  } finally {
    await service.db.knex.destroy();
    await dropDatabase(engine, workName);
  }
}

await main(process.argv.slice(2));
