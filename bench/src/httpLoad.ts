// HTTP search load with autocannon against a real server in a child process (serverChild.ts), loopback only,
// for a bounded time; the child's resident memory is sampled while the load runs.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { institutionsRepo, openDatabase } from './api';

export interface HttpLoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rssIdle: number;
  rssPeak: number;
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', listener);
        resolve(m[key] as T);
      }
    };
    child.on('message', listener);
    child.send(message);
  });
}

export async function httpSearchLoad(options: {
  databaseUrl: string;
  institutionId: number;
  subdomain: string;
  locationId: number;
  names: readonly string[];
  seconds: number;
  connections: number;
}): Promise<HttpLoadResult> {
  const db = openDatabase(options.databaseUrl);
  const apiKey = await institutionsRepo(db.knex).createApiKey(options.institutionId, 'bench');
  await db.knex.destroy();

  const child = fork(fileURLToPath(new URL('./serverChild.ts', import.meta.url)), [options.databaseUrl], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [first] = (await once(child, 'message')) as [{ url: string }];
    const base = first.url;
    const rssIdle = await ask<number>(child, 'rss', 'rss');
    let rssPeak = rssIdle;
    const sampler = setInterval(async () => {
      rssPeak = Math.max(rssPeak, await ask<number>(child, 'rss', 'rss'));
    }, 250);
    let i = 0;
    const paths = options.names.map(
      (name) =>
        `/patients?subdomain=${options.subdomain}&location_id=${options.locationId}&per_page=10&name=${encodeURIComponent(name)}`,
    );
    const result = await autocannon({
      url: base,
      connections: options.connections,
      duration: options.seconds,
      headers: { authorization: `Bearer ${apiKey}` },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
    });
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, await ask<number>(child, 'rss', 'rss'));
    return {
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      rssIdle,
      rssPeak,
    };
  } finally {
    // Let the requests autocannon left in flight finish before the server closes its pool under them.
    await new Promise((r) => setTimeout(r, 1000));
    child.send('stop');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill();
  }
}
