// SPEC 11's outbox: an event written with its change survives the server being killed (SIGKILL) between the
// 201 and the delivery; after a restart it arrives, exactly once by its id. And two server processes on one
// database deliver every event once between them (claims with SKIP LOCKED on PostgreSQL, the write lock on
// SQLite). The server runs as `npm start` runs it: its own process.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server';
import {
  API_DIR,
  createTenant,
  ENGINES,
  freePort,
  freshDatabase,
  newPatient,
  type Tenant,
  type TestDatabase,
} from './harness';

/** The server as its own process, ready when /healthz answers. */
async function serverProcess(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      SYNC_TICK_SECONDS: '0',
    },
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server process did not start');
}

function kill(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {}
}

async function receiverOn(port: number) {
  const got: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(ENGINES)('webhook deliveries across restarts on %s', (engine) => {
  let database: TestDatabase;
  let t: Tenant;
  let hookPort: number;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await freshDatabase(engine);
    hookPort = await freePort();
    // Set up through the product (a server in this process), then leave the database to the processes.
    const setup = await startServer({ databaseUrl: database.url, logLevel: 'silent' });
    t = await createTenant(setup, 'restarted');
    const auth = { authorization: t.apiKey, 'content-type': 'application/json' };
    const made = await fetch(`${setup.url}/webhook_endpoints?subdomain=${t.subdomain}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ target_url: `http://127.0.0.1:${hookPort}/hook` }),
    });
    const { data } = (await made.json()) as { data: { id: number } };
    await fetch(`${setup.url}/webhook_endpoints/${data.id}/webhook_subscriptions?subdomain=${t.subdomain}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ resource_type: 'Patient', event: 'patient_created' }),
    });
    await setup.close();
  }, 60_000);
  afterAll(async () => {
    for (const c of children) kill(c, 'SIGKILL');
    await database.drop();
  });

  const create = (port: number, lastName: string) =>
    fetch(`http://127.0.0.1:${port}/patients?subdomain=${t.subdomain}&location_id=${t.locationId}`, {
      method: 'POST',
      headers: { authorization: t.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ patient: newPatient({ last_name: lastName }) }),
    });

  it('an event whose server was killed after the 201 arrives after a restart, exactly once', async () => {
    const port = await freePort();
    const first = await serverProcess(database.url, port);
    children.push(first);
    // Nothing listens at the target yet, so nothing can be delivered before the kill.
    const res = await create(port, 'Killedafter');
    expect(res.status).toBe(201);
    kill(first, 'SIGKILL');
    await once(first, 'exit');

    const rx = await receiverOn(hookPort);
    try {
      const second = await serverProcess(database.url, port);
      children.push(second);
      for (let i = 0; i < 300 && rx.got.length < 1; i++) await new Promise((r) => setTimeout(r, 50));
      // Time for a duplicate to show, if there were one.
      await new Promise((r) => setTimeout(r, 1500));
      const mine = rx.got.filter((g) => JSON.parse(g.body).data.patient.last_name === 'Killedafter');
      expect(mine).toHaveLength(1);
      expect(mine[0]!.headers['webhook-id']).toMatch(/^msg_\d+$/);
      kill(second, 'SIGTERM');
      await once(second, 'exit');
    } finally {
      await rx.close();
    }
  }, 60_000);

  it('two server processes on one database deliver each event once between them', async () => {
    const rx = await receiverOn(hookPort);
    try {
      const [a, b] = [await freePort(), await freePort()];
      const one = await serverProcess(database.url, a);
      const two = await serverProcess(database.url, b);
      children.push(one, two);
      const made = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          create(i % 2 ? a : b, `Twoserver${String.fromCharCode(97 + i)}`),
        ),
      );
      expect(made.map((r) => r.status)).toEqual(Array(12).fill(201));
      const ours = () =>
        rx.got.filter((g) => JSON.parse(g.body).data.patient.last_name.startsWith('Twoserver'));
      for (let i = 0; i < 400 && ours().length < 12; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1500));
      const ids = ours().map((g) => g.headers['webhook-id']);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      kill(one, 'SIGTERM');
      kill(two, 'SIGTERM');
    } finally {
      await rx.close();
    }
  }, 60_000);
});
