// The product as a user runs it: the server started by its npm script (`npm run -s start -w @patients/api`,
// what `npm start` runs), the admin command line (`npm run -s admin -- ...`), and HTTP on loopback with an API
// key the admin command line made. Nothing here touches the database directly.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where `npm start` and `npm run admin` are run. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `npm run -s admin -- ...args` on the database; resolves with the JSON line it printed on stdout. */
export async function admin(databaseUrl: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const child = spawn('npm', ['run', '-s', 'admin', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = out.trim().split('\n').at(-1) ?? '';
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(line);
  } catch {}
  if (code !== 0 || !parsed) {
    throw new Error(`admin ${args[0]} exited ${code}: ${(err || out).trim().slice(-2000)}`);
  }
  return parsed;
}

/** A free loopback port (asked of the kernel, then released for the server to take). */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {}
  }
  return out;
}

/**
 * The process that serves: npm starts a shell that starts node (with tsx, node starts one more node), so the
 * server is the deepest descendant of the npm process, the one with no children of its own.
 */
function servingPid(npmPid: number): number {
  let pid = npmPid;
  for (let depth = 0; depth < 10; depth++) {
    const kids = childrenOf(pid);
    if (!kids.length) return pid;
    pid = kids[0]!;
  }
  return pid;
}

/** Resident bytes of a process (VmRSS in /proc/PID/status). */
export function residentBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface RunningServer {
  url: string;
  /** The node process that serves (see servingPid). */
  pid: number;
  rss(): number;
  stop(): Promise<void>;
}

/** Process groups of the servers this process started and has not stopped yet. */
const running = new Set<number>();

// The servers run in process groups of their own (so stopping one stops npm, its shell and node): a bench
// stopped by Ctrl-C or killed by a timeout takes them along.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {}
    }
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {}
  }
});

/**
 * Starts the server as `npm start` does, on a free loopback port, with no demo data and no logs, and waits
 * until GET /healthz answers (60 s at most).
 */
export async function startProductServer(databaseUrl: string): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('npm', ['run', '-s', 'start', '-w', '@patients/api'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      // The bench measures throughput, not the per-key limit (6,000 a minute by default), which its HTTP
      // load and creates pass within a minute; this is the documented setting a busy integration would raise.
      RATE_LIMIT_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  running.add(child.pid!);
  child.once('exit', () => running.delete(child.pid!));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
    const done = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!done) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      await exited;
    }
  };
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering`);
    try {
      const res = await request(url, 'GET', '/healthz', undefined, undefined, 2000);
      if (res.status === 200) break;
    } catch {}
    if (performance.now() > deadline) {
      await stop();
      throw new Error('the server did not answer /healthz within 60 s');
    }
    await sleep(200);
  }
  const pid = servingPid(child.pid!);
  return { url, pid, rss: () => residentBytes(pid), stop };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
  status: number;
  body: string;
}

/** One HTTP request on a kept-alive loopback connection; rejects after `timeoutMs` (30 s by default). */
export function request(
  base: string,
  method: string,
  path: string,
  key?: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new TimeoutError()));
    req.on('error', reject);
    req.end(payload);
  });
}

export class TimeoutError extends Error {
  constructor() {
    super('timeout');
  }
}

/** Lets go of kept-alive sockets, so the process can exit. */
export function closeConnections(): void {
  agent.destroy();
}
