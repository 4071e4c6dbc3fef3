// CI's check of the state a practice's database is in when it grew through the API (issue 11): a fresh
// database, the server started as `npm start` starts it, --count patients created by POST /patients with 8
// in flight, then sequential name searches (all error kinds), email and phone lookups on the same server,
// without a restart. Fails (exit 1) when the name search or phone lookup p99 is more than --max-ratio (5) times
// the email lookup p99 of the same run: a ratio, not a time, so a slow machine does not fail it but a bad
// query plan does.
//
//   npm run -s api-grown-check -w @patients/bench -- [--engines sqlite,postgres] [--count 5000]
//        [--queries 300] [--seconds 60] [--max-ratio 5] [--seed 42]
//
// SQLite always; PostgreSQL when PG_TEST_URL (or --engines) says so. Each kind of search stops after
// --queries searches or --seconds seconds, whichever comes first (at least 50 are needed for a p99).
import { type EngineName, postgresAnswers } from './databases';
import { apiGrown } from './scenarios';
import { closeConnections } from './server';
import { ms, percentile } from './stats';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const engines = opt('engines', process.env.PG_TEST_URL ? 'sqlite,postgres' : 'sqlite').split(
  ',',
) as EngineName[];
const count = Number(opt('count', '5000'));
const queries = Number(opt('queries', '300'));
const seconds = Number(opt('seconds', '60'));
const maxRatio = Number(opt('max-ratio', '5'));
const seed = Number(opt('seed', '42'));
const log = (line: string) => console.error(line);

let failed = false;
for (const engine of engines) {
  if (engine === 'postgres' && !(await postgresAnswers())) {
    console.log(`api-grown-check postgres: skipped, no PostgreSQL answers at BENCH_PG_URL`);
    continue;
  }
  const started = performance.now();
  const r = await apiGrown(engine, count, { seed, perKind: 0, seconds: 0, budgetMs: seconds * 1000 }, log, {
    restart: false,
    nameQueries: queries,
    inFlight: 8,
  });
  const growth = r.rows[0]!;
  const name = r.nameAfterLoad;
  const email = r.emailAfterLoad;
  const ratio = percentile(name, 99) / percentile(email, 99);
  // Phone lookups are judged the same way: on a PostgreSQL table never analysed, they once took 17 s each.
  const phoneRow = r.rows.find((row) => row.what.startsWith('grown: phone lookup'))!;
  const phoneCount = Number(/n=(\d+)/.exec(phoneRow.what)?.[1]);
  const phoneRatio = phoneRow.p99 / percentile(email, 99);
  // A p99 of fewer than 50 searches is their maximum; still a failure when even that ratio is too large
  // (name searches so slow that the time budget ran out are what this check is for).
  const enough = name.length >= 50 && email.length >= 50 && phoneCount >= 50 && growth.size >= count * 0.99;
  const tooSlow = !(ratio <= maxRatio && phoneRatio <= maxRatio);
  const ok = enough && !tooSlow;
  console.log(
    JSON.stringify({
      check: 'api-grown',
      engine,
      patients: growth.size,
      creates_per_s: Math.round(growth.rate ?? 0),
      name: {
        n: name.length,
        p50_ms: +percentile(name, 50).toFixed(2),
        p99_ms: +percentile(name, 99).toFixed(2),
      },
      email: {
        n: email.length,
        p50_ms: +percentile(email, 50).toFixed(2),
        p99_ms: +percentile(email, 99).toFixed(2),
      },
      phone: { n: phoneCount, p50_ms: +phoneRow.p50.toFixed(2), p99_ms: +phoneRow.p99.toFixed(2) },
      ratio_p99: +ratio.toFixed(1),
      phone_ratio_p99: +phoneRatio.toFixed(1),
      max_ratio: maxRatio,
      ok,
      seconds: Math.round((performance.now() - started) / 1000),
    }),
  );
  if (!ok) {
    failed = true;
    console.error(
      tooSlow
        ? `api-grown-check ${engine}: FAILED: name search p99 ${ms(percentile(name, 99))} (${ratio.toFixed(1)}x) or phone lookup p99 ${ms(phoneRow.p99)} (${phoneRatio.toFixed(1)}x) against the email lookup p99 ${ms(percentile(email, 99))} (at most ${maxRatio}x; ${name.length} name, ${phoneCount} phone and ${email.length} email searches) on a database grown by ${growth.size} API creates, searched without a restart`
        : `api-grown-check ${engine}: FAILED: too few measurements (${growth.size} created of ${count}, ${name.length} name, ${phoneCount} phone and ${email.length} email searches; ${growth.what})`,
    );
  }
}
closeConnections();
process.exit(failed ? 1 : 0);
