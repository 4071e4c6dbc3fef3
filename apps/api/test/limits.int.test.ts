// SPEC 3 "Abuse limits": failed-authentication lockout per client address, and a rate per API key with the
// IETF draft's RateLimit headers; 429 in the envelope with Retry-After past either.
import { afterEach, describe, expect, it } from 'vitest';
import { FAILED_AUTH_LIMIT } from '../src/limits';
import { createTenant, type Harness, startHarness } from './harness';

describe('abuse limits', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });
  const get = (path: string, headers: Record<string, string>) =>
    fetch(`${h!.server.url}${path}`, { headers });

  it('limits each API key, counting its tokens with it, and says so in the headers', async () => {
    h = await startHarness('sqlite', { rateLimitPerMinute: 3 });
    const t = await createTenant(h.server, 'ratelimited');
    const other = await createTenant(h.server, 'unlimited');
    const path = `/locations?subdomain=${t.subdomain}`;
    const first = await get(path, { authorization: `Bearer ${t.apiKey}` });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toMatch(/^"3-per-minute"; q=3; w=60/);
    expect(first.headers.get('ratelimit')).toMatch(/^"3-per-minute"; r=2; t=\d+/);
    const token = (
      (await (
        await fetch(`${h.server.url}/authenticates`, { method: 'POST', headers: { authorization: t.apiKey } })
      ).json()) as { data: { token: string } }
    ).data.token;
    expect((await get(path, { authorization: `Bearer ${token}` })).status).toBe(200);

    const over = await get(path, { authorization: `Bearer ${token}` });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({
      code: false,
      data: null,
      error: [expect.stringMatching(/too many requests/)],
    });
    // Another institution's key has its own count.
    expect(
      (await get(`/locations?subdomain=${other.subdomain}`, { authorization: `Bearer ${other.apiKey}` }))
        .status,
    ).toBe(200);
  });

  it(`answers 429 to an address after ${FAILED_AUTH_LIMIT} failed authentications, whatever the credential`, async () => {
    h = await startHarness('sqlite', { trustProxy: 'loopback' });
    const t = await createTenant(h.server, 'guessed');
    const path = `/locations?subdomain=${t.subdomain}`;
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
      expect((await get(path, { ...attacker, authorization: `Bearer pk_guess${i}` })).status).toBe(401);
    }
    const locked = await get(path, { ...attacker, authorization: `Bearer ${t.apiKey}` });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: string[] }).error[0]).toMatch(/failed authentications/);
    // Another address is not locked out.
    expect(
      (await get(path, { 'x-forwarded-for': '198.51.100.9', authorization: `Bearer ${t.apiKey}` })).status,
    ).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy writes it', async () => {
    h = await startHarness('sqlite', { trustProxy: undefined });
    const t = await createTenant(h.server, 'spoofed');
    const path = `/locations?subdomain=${t.subdomain}`;
    for (let i = 0; i <= FAILED_AUTH_LIMIT; i++) {
      // A new made-up address each time: it must not buy more guesses.
      await get(path, { 'x-forwarded-for': `192.0.2.${i}`, authorization: `Bearer pk_guess${i}` });
    }
    expect(
      (await get(path, { 'x-forwarded-for': '192.0.2.200', authorization: `Bearer ${t.apiKey}` })).status,
    ).toBe(429);
  });
});
