// Where a webhook may be sent (SPEC 11): https only, except loopback and the hosts named in
// WEBHOOK_ALLOWED_HTTP_HOSTS; and never, unless so allowed, to an address inside the practice's network
// (private, loopback, link-local, carrier-grade NAT): a server-side request forgery guard. Checked when an
// endpoint is registered and again before every attempt (a name may come to resolve elsewhere).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'];

const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6');

function isInternal(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family === 6) {
    // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is checked as the IPv4 one it is.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? INTERNAL.check(mapped[1]!, 'ipv4') : INTERNAL.check(address, 'ipv6');
  }
  return true;
}

export type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** Checks targets against the rules above; `allowedHttpHosts` is WEBHOOK_ALLOWED_HTTP_HOSTS. */
export function targetPolicy(allowedHttpHosts: readonly string[], resolve: Resolve = systemResolve) {
  const allowed = new Set([...LOOPBACK_HOSTS, ...allowedHttpHosts].map((h) => h.toLowerCase()));
  return {
    /** Why `url` may not be a target, or null when it may. */
    async refusal(url: string): Promise<string | null> {
      const u = new URL(url);
      const host = u.hostname.toLowerCase();
      const trusted = allowed.has(host) || allowed.has(`[${host}]`);
      if (u.protocol !== 'https:' && !trusted)
        return 'target_url must use https (plain http only for loopback and WEBHOOK_ALLOWED_HTTP_HOSTS)';
      if (u.username || u.password) return 'target_url must not carry a user name or password';
      if (trusted) return null;
      let addresses: string[];
      try {
        addresses = isIP(host.replace(/^\[|\]$/g, '')) ? [host.replace(/^\[|\]$/g, '')] : await resolve(host);
      } catch {
        return `target_url's host ${host} does not resolve`;
      }
      if (!addresses.length) return `target_url's host ${host} does not resolve`;
      if (addresses.some(isInternal))
        return `target_url's host ${host} is a private or local address (allow it with WEBHOOK_ALLOWED_HTTP_HOSTS)`;
      return null;
    },
  };
}

export type TargetPolicy = ReturnType<typeof targetPolicy>;
