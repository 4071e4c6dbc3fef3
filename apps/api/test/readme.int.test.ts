// The README's walk-throughs are a test (issue 16): every ```sh block marked `<!-- walkthrough -->` runs, in
// order, as a reader runs it after `npm ci && npm start` on a fresh clone: the real `npm start` (its printed
// demo key), then each block in bash from the repository root. What a block shows as output (`#   ` lines
// after a command; `...` skips what varies) must be in what it printed, in that order. So the README cannot
// drift from what the program does.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_DIR, freePort } from './harness';

const ROOT = join(API_DIR, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Block {
  /** The heading the block sits under, to name it in a failure. */
  section: string;
  script: string;
  /** What it shows as its output, in order, split where `...` skips. */
  expected: string[];
}

/** The marked blocks, with the key and address a reader pastes in taken out (the runner sets API and KEY). */
export function walkthroughBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /<!-- walkthrough -->\n```sh\n([\s\S]*?)```/g;
  for (const m of markdown.matchAll(fence)) {
    const prose = markdown.slice(0, m.index).replace(/```[\s\S]*?```/g, '');
    const section = [...prose.matchAll(/^#+ (.*)$/gm)].at(-1)?.[1] ?? '';
    const lines = m[1]!
      .split('\n')
      .map((l) => (/KEY=pk_\.\.\./.test(l) ? l.replace(/\b(API|KEY)=\S+\s*/g, '') : l))
      .filter((l) => !/^export\s*(#.*)?$/.test(l.trim()));
    // Each shown line in turn (a long JSON answer is wrapped over several), split where `...` skips.
    const expected = lines
      .map((l) => /^# {2,3}(.*)$/.exec(l)?.[1])
      .filter((shown) => shown !== undefined)
      .flatMap((shown) => shown.split(/\.\.\.|…/).map((part) => part.trim()))
      .filter(Boolean);
    blocks.push({ section, script: lines.join('\n'), expected });
  }
  return blocks;
}

describe('the README, run as a reader runs it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patients-readme-'));
  let server: ChildProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    const port = await freePort();
    env = {
      ...(process.env as Record<string, string>),
      DATABASE_URL: `file:${join(dir, 'patients.sqlite')}`,
      PORT: String(port),
      API: `http://127.0.0.1:${port}`,
      // What the reader's shell holds: nothing of the test runner's.
      NODE_ENV: '',
      LOG_LEVEL: 'warn',
    };
    // Its own process group: npm does not pass a signal on to the server it started, so the group gets it.
    server = spawn('npm', ['start'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    let printed = '';
    env.KEY = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no demo key within 60 s:\n${printed}`)), 60_000);
      server.stdout!.on('data', (chunk) => {
        printed += chunk;
        const key = /Demo API key \(shown once\): (pk_\S+)/.exec(printed)?.[1];
        if (key) {
          clearTimeout(timer);
          resolve(key);
        }
      });
    });
  }, 90_000);
  afterAll(async () => {
    if (server.exitCode === null) {
      process.kill(-server.pid!, 'SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks the blocks it runs', () => {
    expect(walkthroughBlocks(README).map((b) => b.section)).toEqual(
      expect.arrayContaining(['Administration', 'Bulk import', 'A walk through the API']),
    );
  });

  it('runs every marked block, in order, and each shows what it prints', async () => {
    for (const block of walkthroughBlocks(README)) {
      const printed = await new Promise<string>((resolve, reject) => {
        execFile(
          'bash',
          ['-euo', 'pipefail', '-c', block.script],
          { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) =>
            err ? reject(new Error(`"${block.section}" failed:\n${stderr}\n${stdout}`)) : resolve(stdout),
        );
      });
      let from = 0;
      for (const part of block.expected) {
        const at = printed.indexOf(part, from);
        expect(
          at,
          `"${block.section}" should print ${part}\nafter: ${printed.slice(from, from + 2000)}`,
        ).toBeGreaterThanOrEqual(0);
        from = at + part.length;
      }
    }
  }, 240_000);
});
