// Security headers on every answer (issue 13): REST, tRPC, errors, the docs; nothing cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

describe('security headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each([
    ['GET', '/healthz'],
    ['GET', '/patients?subdomain=nobody&location_id=1'],
    ['GET', '/no/such/endpoint'],
    ['POST', '/authenticates'],
    ['GET', '/trpc/patients.search?input=%7B%7D'],
    ['GET', '/openapi.json'],
    ['GET', '/docs/'],
  ])('%s %s carries nosniff, frame denial, a content policy and no-store', async (method, path) => {
    const res = await fetch(`${h.server.url}${path}`, { method });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
