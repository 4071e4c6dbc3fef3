// HTTP search load with autocannon against a running product server (server.ts), loopback only, for a
// bounded time; the serving process's resident memory (VmRSS) is sampled while the load runs.
import autocannon from 'autocannon';
import type { ProductTenant } from './product';
import type { RunningServer } from './server';

export interface HttpLoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rssIdle: number;
  rssPeak: number;
}

export async function httpSearchLoad(options: {
  server: RunningServer;
  tenant: ProductTenant;
  names: readonly string[];
  seconds: number;
  connections: number;
}): Promise<HttpLoadResult> {
  const { server, tenant } = options;
  const rssIdle = server.rss();
  let rssPeak = rssIdle;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, server.rss());
  }, 250);
  let i = 0;
  const paths = options.names.map(
    (name) =>
      `/patients?subdomain=${tenant.subdomain}&location_id=${tenant.locationId}&per_page=10&name=${encodeURIComponent(name)}`,
  );
  try {
    const result = await autocannon({
      url: server.url,
      connections: options.connections,
      duration: options.seconds,
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
    });
    rssPeak = Math.max(rssPeak, server.rss());
    return {
      requestsPerSecond: result.requests.average,
      // autocannon times completed requests only: none completed is no latency figure.
      p50: result.requests.total ? result.latency.p50 : Number.NaN,
      p99: result.requests.total ? result.latency.p99 : Number.NaN,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      rssIdle,
      rssPeak,
    };
  } finally {
    clearInterval(sampler);
    // Let the requests autocannon left in flight finish before anyone stops the server under them.
    await new Promise((r) => setTimeout(r, 1000));
  }
}
