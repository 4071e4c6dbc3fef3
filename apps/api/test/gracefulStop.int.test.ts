// SPEC 9: on SIGTERM the server stops taking connections, finishes the requests in flight (a body still
// arriving included), logs that it stopped, and exits 0. The real program, as `npm start` runs it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { API_DIR, freePort, newPatient } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'patients-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('SIGTERM while a create body is still arriving: the create is answered 201, one stop line, exit 0', async () => {
  const port = await freePort();
  // Node itself (tsx as a loader), so the signal reaches the server and not a wrapper around it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: {
      ...process.env,
      DATABASE_URL: `file:${join(dir, 'stop.sqlite')}`,
      PORT: String(port),
      LOG_LEVEL: 'info',
      SYNC_TICK_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // The demo key npm start prints on a fresh database.
  for (let i = 0; i < 300 && !/pk_\w+/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
  const key = /pk_[\w-]+/.exec(stdout)![0];

  const body = JSON.stringify({ patient: newPatient({ last_name: 'Halfway' }) });
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (c) => {
    answer += c;
  });
  await new Promise((r) => socket.once('connect', r));
  socket.write(
    `POST /patients?subdomain=demo&location_id=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` +
      body.slice(0, 20),
  );
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  socket.write(body.slice(20));
  await new Promise((r) => socket.once('close', r));

  expect(answer).toMatch(/^HTTP\/1\.1 201 /);
  expect(await exited).toBe(0);
  const lines = stderr.split('\n').filter((l) => l.includes('patients API stopped'));
  expect(lines).toHaveLength(1);
  // A new connection after the stop is refused: nobody listens.
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
}, 60_000);
