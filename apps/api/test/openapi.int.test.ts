// SPEC 9: the OpenAPI document, as served on GET /openapi.json by a real server, is valid under a standard
// validator (swagger-parser: the OpenAPI schema and every $ref), every operation has an operationId, a summary,
// its security scheme and its error answers, and a client generated from it (openapi-typescript) compiles.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of a document, with where it is. */
function operationsOf(doc: Json): Array<{ where: string; op: Json }> {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op: op as Json })),
  );
}

/**
 * What SPEC 9 asks of the document beyond the validator's schema, one line per problem: servers and a license
 * with name and SPDX identifier; per operation a unique operationId a code generator can use as a name, a
 * summary, a security requirement naming a declared scheme (the raw key on /authenticates, the bearer token
 * elsewhere), and its 4xx answers (401 at least) in the error envelope.
 */
function ruleProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (!Array.isArray(doc.servers) || doc.servers.length === 0) problems.push('no servers');
  if (!doc.info?.license?.name || !doc.info?.license?.identifier)
    problems.push('info.license needs name and identifier');
  const schemes: Json = doc.components?.securitySchemes ?? {};
  const seen = new Set<string>();
  for (const { where, op } of operationsOf(doc)) {
    const id = op.operationId;
    if (typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id))
      problems.push(`${where}: operationId ${id}`);
    else if (seen.has(id)) problems.push(`${where}: operationId ${id} twice`);
    else seen.add(id);
    if (typeof op.summary !== 'string' || !op.summary.trim()) problems.push(`${where}: no summary`);
    const named = (op.security ?? []).flatMap((req: Json) => Object.keys(req));
    if (named.length === 0) problems.push(`${where}: no security`);
    for (const name of named) if (!schemes[name]) problems.push(`${where}: security ${name} undeclared`);
    const expected = where === 'POST /authenticates' ? 'apiKey' : 'bearer';
    if (!named.includes(expected)) problems.push(`${where}: security is not ${expected}`);
    const answers: Json = op.responses ?? {};
    if (!answers['401']) problems.push(`${where}: no 401 answer`);
    for (const [status, answer] of Object.entries(answers)) {
      if (!/^4\d\d$/.test(status)) continue;
      const ref = (answer as Json).content?.['application/json']?.schema?.$ref;
      if (ref !== '#/components/schemas/ErrorEnvelope')
        problems.push(`${where}: ${status} not in the envelope`);
    }
  }
  return problems;
}

describe('the OpenAPI document', () => {
  let h: Harness;
  let served: Json;
  const copy = () => structuredClone(served);

  beforeAll(async () => {
    h = await startHarness('sqlite');
    const res = await fetch(`${h.server.url}/openapi.json`);
    expect(res.status).toBe(200);
    served = (await res.json()) as Json;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is valid under swagger-parser (schema and $refs)', async () => {
    // validate() dereferences the object it is given: hand it a copy.
    await expect(SwaggerParser.validate(copy() as never)).resolves.toBeTruthy();
  });

  it('swagger-parser refuses a copy with a broken $ref or a license without identifier or url', async () => {
    const badRef = copy();
    badRef.paths['/patients'].get.responses['404'].content['application/json'].schema.$ref =
      '#/components/schemas/NoSuchSchema';
    await expect(SwaggerParser.validate(badRef as never)).rejects.toThrow(/NoSuchSchema/);
    const license = copy();
    license.info.license = { name: 'Apache-2.0' };
    await expect(SwaggerParser.validate(license as never)).rejects.toThrow(/license/);
  });

  it('has servers, a license, and every operation its operationId, summary, security and error answers', () => {
    expect(ruleProblems(served)).toEqual([]);
    expect(served.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(served.info.license).toEqual({ name: 'Apache-2.0', identifier: 'Apache-2.0' });
    expect(operationsOf(served).length).toBeGreaterThanOrEqual(10);
    const search = served.paths['/patients'].get;
    expect(search.operationId).toBe('patientsSearch');
    expect(search['x-trpc-procedure']).toBe('patients.search');
  });

  it('documents the raw API key header of /authenticates as its own scheme', () => {
    expect(served.components.securitySchemes.apiKey).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
    expect(served.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(served.paths['/authenticates'].post.security).toEqual([{ apiKey: [] }]);
  });

  it('the rules catch a copy missing an operationId, a summary, security or an error answer', () => {
    const noId = copy();
    delete noId.paths['/patients'].get.operationId;
    expect(ruleProblems(noId)).toEqual(['GET /patients: operationId undefined']);
    const twice = copy();
    twice.paths['/patients'].post.operationId = 'patientsSearch';
    expect(ruleProblems(twice)).toEqual(['POST /patients: operationId patientsSearch twice']);
    const other = copy();
    delete other.paths['/patients/{id}'].get.summary;
    other.paths['/appointments'].post.security = [];
    delete other.paths['/locations'].get.responses['401'];
    other.info.license = { name: 'Apache-2.0' };
    delete other.servers;
    expect(ruleProblems(other).sort()).toEqual(
      [
        'GET /locations: no 401 answer',
        'GET /patients/{id}: no summary',
        'POST /appointments: no security',
        'POST /appointments: security is not bearer',
        'info.license needs name and identifier',
        'no servers',
      ].sort(),
    );
  });

  it('generates a typed client (openapi-typescript) that compiles under tsc --strict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patients-openapi-client-'));
    try {
      writeFileSync(join(dir, 'schema.d.ts'), astToString(await openapiTS(copy() as never)));
      writeFileSync(join(dir, 'call.ts'), CLIENT_SOURCE);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: [],
          },
          files: ['call.ts'],
        }),
      );
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const run = await promisify(execFile)(process.execPath, [tsc, '-p', dir]).then(
        () => ({ ok: true, out: '' }),
        (err: { stdout?: string }) => ({ ok: false, out: String(err.stdout) }),
      );
      expect(run.out).toBe('');
      expect(run.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A small typed caller of GET /patients built only on the generated types: its query, its success and error
 * answers, and a wrong query that must not compile (so the types are not `any`).
 */
const CLIENT_SOURCE = `import type { operations, paths } from './schema.js';

type Search = paths['/patients']['get'];
type Query = Search['parameters']['query'];
type Found = Search['responses'][200]['content']['application/json'];
type Refused = Search['responses'][401]['content']['application/json'];

export async function searchPatients(base: string, token: string, query: Query): Promise<string[]> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await fetch(base + '/patients?' + params, { headers: { authorization: 'Bearer ' + token } });
  if (!res.ok) return ((await res.json()) as Refused).error;
  const found = (await res.json()) as Found;
  return found.data.patients.map((p) => p.name + ' ' + (p.bio.date_of_birth ?? ''));
}

export const query: Query = { subdomain: 'demo', location_id: 1, name: 'Liz Garcia' };
// @ts-expect-error location_id is a number
export const wrong: Query = { subdomain: 'demo', location_id: 'one' };
export type ByOperationId = operations['patientsSearch']['parameters']['query'];
export const same: ByOperationId = query;
`;
