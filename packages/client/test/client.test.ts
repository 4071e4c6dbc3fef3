// The factory's own behaviour, against a loopback HTTP server that records each request and never answers:
// the credentials and acting user it sends, where it sends them, and that a call is abandoned after timeoutMs
// instead of waiting for ever.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientsClient, TRPCClientError } from '../src/index';

describe('createPatientsClient', () => {
  let server: Server;
  let url: string;
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    // Keeps every request open: the client's timeout is the only way a call can end.
    server = createServer((req) => {
      seen.push(req);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('sends the key as bearer and the acting user, under <url>/trpc, and gives up after timeoutMs', async () => {
    const client = createPatientsClient({ url, key: 'pk_test', actingUser: 'alice', timeoutMs: 200 });
    const call = client.locations.list.query({ subdomain: 'demo' });
    await expect(call).rejects.toBeInstanceOf(TRPCClientError);
    await expect(call).rejects.toThrow(/No answer within 200 ms/);
    const [req] = seen;
    expect(req?.url).toMatch(/^\/base\/trpc\/locations\.list\?/);
    expect(req?.headers.authorization).toBe('Bearer pk_test');
    expect(req?.headers['x-acting-user']).toBe('alice');
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => createPatientsClient({ url, key: 'k', timeoutMs: 0 })).toThrow(RangeError);
  });
});
