// `npm run -s sync-bench -w @patients/bench -- [--sizes 10000,50000] [--engines sqlite,postgres]`:
// how long a first sync of N patients from Open Dental takes, and whether memory stays flat as N grows.
// The Open Dental stand-in runs as its own process (the real distance: HTTP, paging at 100), so this
// process's resident memory is the sync's alone; it is sampled every 50 ms during the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectorRegistry, migrate, openDatabase, setConnector, syncInstitution } from './api';
import { createEmpty, databaseUrl, dropDatabase, type EngineName, postgresAnswers } from './databases';
import { ensureTenant } from './load';
import { machineLine, markdownTable } from './report';

const STANDIN = fileURLToPath(new URL('../../apps/api/scripts/opendental-standin.ts', import.meta.url));
const MiB = 2 ** 20;

async function startStandIn(patients: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', STANDIN, '--port', '0', '--patients', String(patients)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  );
  return { url: JSON.parse(first).url, child };
}

/** A fresh key for this run: the stand-in's connector keys are sealed under it. */
const SECRETS_KEY = randomBytes(32).toString('base64');

async function run(engine: EngineName, size: number) {
  const name = `sync-bench-${size}`;
  await createEmpty(engine, name);
  const db = openDatabase(databaseUrl(engine, name));
  await migrate(db);
  const tenant = await ensureTenant(db, 'syncbench');
  const standIn = await startStandIn(size);
  try {
    await setConnector(
      db,
      tenant.institutionId,
      {
        type: 'opendental',
        'base-url': standIn.url,
        'developer-key': 'dev-key',
        'customer-key': 'cust-key',
        map: [`${tenant.locationId}:1`],
      },
      { connectorSecretsKey: SECRETS_KEY },
    );
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const summary = await syncInstitution(
      { db, connectorFor: connectorRegistry(db, SECRETS_KEY) },
      tenant.institutionId,
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return {
      engine,
      size,
      seconds,
      created: summary.created,
      pages: summary.patients?.pages ?? 0,
      errors: summary.errors,
      before: before / MiB,
      peak: peak / MiB,
    };
  } finally {
    standIn.child.kill();
    await db.knex.destroy();
    await dropDatabase(engine, name);
  }
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,50000' },
    engines: { type: 'string', default: 'sqlite,postgres' },
  },
});
const engines = (values.engines.split(',') as EngineName[]).filter((e) => e === 'sqlite' || e === 'postgres');
const usable = (await postgresAnswers()) ? engines : engines.filter((e) => e === 'sqlite');
const rows: string[][] = [];
for (const engine of usable) {
  for (const size of values.sizes.split(',').map(Number)) {
    const r = await run(engine, size);
    process.stderr.write(`${JSON.stringify(r)}\n`);
    rows.push([
      r.engine,
      r.size.toLocaleString('en-US'),
      `${r.seconds.toFixed(1)} s`,
      `${Math.round(r.size / r.seconds).toLocaleString('en-US')}/s`,
      String(r.pages),
      String(r.errors),
      `${r.before.toFixed(0)} MiB`,
      `${r.peak.toFixed(0)} MiB`,
    ]);
  }
}
console.log(machineLine({}));
console.log(
  markdownTable(
    [
      'engine',
      'patients in Open Dental',
      'first sync',
      'patients/s',
      'pages',
      'errors',
      'RSS before',
      'RSS peak',
    ],
    rows,
  ),
);
