// The package as a stranger gets it (issue 16 item 7): built, packed with `npm pack`, installed from the
// tarball into a project outside the monorepo (os.tmpdir(), its own package.json and a strict NodeNext
// tsconfig), a consumer compiled there with tsc (a wrong input must be a type error), then run against a real
// server on loopback.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AppRouter as ServerRouter } from '@patients/api/router';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { RouterInputs, RouterOutputs } from '../src/index';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const run = promisify(execFile);

/** The environment of a child npm or node: without the npm_* variables of the `npm test` this may run under. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

/** A command's output, or its output and exit code as the error (so a failure shows what tsc or npm said). */
async function sh(file: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd, env: childEnv, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} exited ${e.code}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** The installed version of a package the monorepo uses, so the consumer gets the same one. */
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    // tRPC 11's own declarations use Disposable (also declared by @types/node, which this project lacks).
    lib: ['ES2022', 'DOM', 'ESNext.Disposable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: [],
    // The package's own declarations are checked too: an import they cannot resolve must be an error here.
    skipLibCheck: false,
    outDir: 'out',
  },
  files: ['consumer.ts'],
};

/** The consumer: lists the demo's locations, searches, reads a refusal's code. Prints one JSON line. */
const consumerSource = (url: string, key: string) => `import {
  createPatientsClient,
  type PatientsClientError,
  type RouterInputs,
  type RouterOutputs,
} from '@patients/client';

const client = createPatientsClient({ url: ${JSON.stringify(url)}, key: ${JSON.stringify(key)}, actingUser: 'pack test' });

const [location] = (await client.locations.list.query({ subdomain: 'demo' })).locations;
if (!location) throw new Error('the demo institution has no location');
const input: RouterInputs['patients']['search'] = { subdomain: 'demo', location_id: location.id, name: 'Liz Garcia' };
const found = await client.patients.search.query(input);
const first: RouterOutputs['patients']['search']['patients'][number] | undefined = found.patients[0];
const names: string[] = found.patients.map((p) => p.first_name + ' ' + p.last_name);

function wrongInput() {
  // @ts-expect-error location_id is a number: a string must not compile
  return client.patients.search.query({ subdomain: 'demo', location_id: 'one' });
}
void wrongInput;

let refused: 'not_found' | string | undefined;
try {
  await client.patients.get.query({ subdomain: 'demo', id: 999999 });
} catch (err) {
  refused = (err as PatientsClientError).data?.errorCode;
}
console.log(JSON.stringify({ count: found.count, names, first: first?.id ?? null, refused }));
`;

describe('@patients/client from its packed tarball', () => {
  let work: string;
  let consumer: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'patients-client-pack-'));
    await sh(process.execPath, [join(pkg, 'scripts/build.mjs')], pkg);
    const packed = JSON.parse(await sh('npm', ['pack', '--json', '--pack-destination', work], pkg)) as Array<{
      filename: string;
    }>;
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
    );
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
    // The tarball, and the tRPC version the monorepo runs (from npm's cache when it is there).
    await sh(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        join(work, packed[0]!.filename),
        `@trpc/client@${versionOf('@trpc/client')}`,
        `@trpc/server@${versionOf('@trpc/server')}`,
      ],
      consumer,
    );
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships JS and declarations that name no workspace package, and only tRPC as peers', () => {
    const installed = join(consumer, 'node_modules/@patients/client');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['@trpc/client', '@trpc/server']);
    for (const file of ['index.js', 'index.d.ts', 'router.d.ts', 'contract.d.ts']) {
      const text = readFileSync(join(installed, 'dist', file), 'utf8');
      expect(text).not.toMatch(/@patients\/(api|core)/);
    }
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/Apache License/);
  });

  it('compiles a consumer under strict NodeNext and runs it against a real server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patients-client-db-'));
    const { startServer, seedDemo } = await import('@patients/api');
    const server = await startServer({
      databaseUrl: `file:${join(dir, 'db.sqlite')}`,
      logLevel: 'silent',
      tokenSecret: 'test-secret-test-secret-test-secret',
    });
    try {
      const demo = await seedDemo(server.db);
      writeFileSync(join(consumer, 'consumer.ts'), consumerSource(server.url, demo.apiKey));
      expect(await sh(process.execPath, [tsc, '-p', consumer], consumer)).toBe('');
      const printed = await sh(process.execPath, [join(consumer, 'out/consumer.js')], consumer);
      const result = JSON.parse(printed.trim()) as { count: number; names: string[]; refused?: string };
      expect(result.count).toBeGreaterThanOrEqual(1);
      expect(result.names).toContain('Elizabeth Garcia-Lopez');
      expect(result.refused).toBe('not_found');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Checked by `npm run typecheck` (tsc), not at run time: the package's router types give every procedure the
// same input and output as the server's own AppRouter.
expectTypeOf<RouterInputs>().toEqualTypeOf<inferRouterInputs<ServerRouter>>();
expectTypeOf<RouterOutputs>().toEqualTypeOf<inferRouterOutputs<ServerRouter>>();
