// A/B of HTTP name-search throughput between two checkouts of the project (say, a commit and the one before
// it), each serving its own copy of the same population, measured alternately (A B, B A, A B ...) so that noise
// on a shared machine falls on both. How the audit log's cost was measured (README "Security").
//
//   node bench/scripts/ab-http.mjs --a /tmp/before --b /tmp/after --key pk_... \
//     --csv bench/out/data/patients-100000-s42-g1.csv --db-a A.sqlite --db-b B.sqlite [--rounds 3] [--seconds 10]
//
// Each checkout must have its dependencies installed; each database is a copy of a bench population (the
// `*_import.sqlite` file of bench/out/db, with the `bench` institution and the key its .json names).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    'db-a': { type: 'string' },
    'db-b': { type: 'string' },
    key: { type: 'string' },
    csv: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
  },
});
for (const k of ['a', 'b', 'db-a', 'db-b', 'key', 'csv']) {
  if (!o[k]) {
    console.error(`ab-http: --${k} is required`);
    process.exit(2);
  }
}
const autocannon = createRequire(import.meta.url)('autocannon');
const paths = readFileSync(o.csv, 'utf8')
  .split('\n')
  .slice(1, 801)
  .filter(Boolean)
  .map((line) => {
    const [first, last] = line.split(',');
    return `/patients?subdomain=bench&location_id=1&per_page=10&name=${encodeURIComponent(`${first} ${last}`)}`;
  });

const variants = {
  A: { dir: o.a, db: o['db-a'], port: 3901 },
  B: { dir: o.b, db: o['db-b'], port: 3902 },
};

async function start(v) {
  const child = spawn('npm', ['run', '-s', 'start', '-w', '@patients/api'], {
    cwd: v.dir,
    env: {
      ...process.env,
      DATABASE_URL: `file:${v.db}`,
      PORT: String(v.port),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '100000000',
      SYNC_TICK_SECONDS: '0',
    },
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${v.port}/healthz`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server in ${v.dir} did not start`);
}

const children = [];
try {
  for (const v of Object.values(variants)) children.push(await start(v));
  const results = { A: [], B: [] };
  for (let round = 0; round < Number(o.rounds); round++) {
    for (const name of round % 2 ? ['B', 'A'] : ['A', 'B']) {
      let i = 0;
      const r = await autocannon({
        url: `http://127.0.0.1:${variants[name].port}`,
        connections: 16,
        duration: Number(o.seconds),
        headers: { authorization: `Bearer ${o.key}` },
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
      });
      results[name].push({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
      });
      console.log(
        `round ${round} ${name}: ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`,
      );
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const mean = (xs, k) => xs.reduce((s, x) => s + x[k], 0) / xs.length;
  for (const name of ['A', 'B'])
    console.log(
      `${name}: mean ${mean(results[name], 'rps').toFixed(0)} req/s, mean p99 ${mean(results[name], 'p99').toFixed(1)} ms`,
    );
} finally {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {}
  }
}
