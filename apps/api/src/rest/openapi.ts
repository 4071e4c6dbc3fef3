// The OpenAPI 3 document of the REST API, made from the operations table (operations.ts) and the same zod
// schemas the routes validate with: one path item per entry, its success answers from the entry, and an
// error answer for each error code it declares (statuses from errors.ts).
//
// SPEC 9: the document is valid under a standard validator (test/openapi.int.test.ts runs swagger-parser on
// the served document and compiles a client generated from it), and every operation has an operationId, a
// summary, its security scheme and its error answers.
import { type ErrorCode, envelope, errorEnvelope, idempotencyKey } from '@patients/core';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { HTTP_STATUS } from '../errors';
import { type OperationEntry, operationList, pathParams, queryParameters } from '../operations';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

/** What each status of an error answer means, for the document. */
const ERROR_ANSWERS: Record<number, string> = {
  400: 'Invalid input, duplicate patient, or a rule refused it: `error` has one message per problem',
  401: 'Missing or bad credentials',
  403: "Unknown subdomain, or not the key's institution",
  404: 'No such record in this institution',
  409: 'A request with this Idempotency-Key is still being answered; retry shortly',
  413: 'The request body is too large',
  422: 'This Idempotency-Key was already used with a different request',
  429: 'Too many requests from this address or key; retry after the `Retry-After` seconds',
  502: 'The health record system could not be reached',
  503: 'The database is busy with other work; retry after the `Retry-After` seconds',
};

/** The security schemes, by name: the bearer token (or raw key as bearer) everywhere, the raw key on /authenticates. */
const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The token from `POST /authenticates` (`Authorization: Bearer <token>`); the raw API key is also accepted as bearer',
  },
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'The raw API key, without `Bearer` (`Authorization: <api_key>`): only `POST /authenticates` takes it so',
  },
} as const;

/**
 * The operationId of a tRPC procedure name: `patients.search` -> `patientsSearch`. Code generators make method
 * names of operationIds, and a dot is not a character they keep; the tRPC name itself is `x-trpc-procedure`.
 */
export function operationIdOf(procedure: string): string {
  return procedure.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());
}

const omit = (schema: z.ZodObject, keys: string[]) =>
  schema.omit(Object.fromEntries(keys.filter((k) => k in schema.shape).map((k) => [k, true])) as never);
const pick = (schema: z.ZodObject, keys: string[]) =>
  schema.pick(Object.fromEntries(keys.filter((k) => k in schema.shape).map((k) => [k, true])) as never);

/** The request headers an operation reads besides Authorization. */
function headersOf(op: OperationEntry): z.ZodObject {
  return z.object({
    'X-Acting-User': z.string().max(128).optional().meta({
      description:
        'The staff member acting through this client (e.g. "81234567890 (alice)"), recorded in the audit log beside the API key',
    }),
    'X-Request-Id': z
      .string()
      .regex(/^[\w-]{1,64}$/)
      .optional()
      .meta({
        description:
          'Your id for this request (else one is made); every answer carries it back in X-Request-Id',
      }),
    ...(op.idempotent && {
      'Idempotency-Key': idempotencyKey.optional().meta({
        description:
          'Retrying with the same key and body within 24 hours returns the first answer (header Idempotent-Replayed: true) and changes nothing; a different body is 422, a retry while the first is in flight 409',
      }),
    }),
  });
}

/** The id parameters of an operation's path, each a whole number from 1. */
function pathSchema(op: OperationEntry): z.ZodObject | undefined {
  const params = pathParams(op);
  if (!params.length) return undefined;
  return z.object(
    Object.fromEntries(
      params.map((p) => [
        p.name,
        z
          .number()
          .int()
          .min(1)
          .meta({ description: `${p.noun} id` }),
      ]),
    ),
  );
}

/** Where an operation's input goes: the query, the path, the headers, and (a change with fields left) the body. */
function requestOf(op: OperationEntry): Pick<ZodOpenApiOperationObject, 'requestParams' | 'requestBody'> {
  const path = pathSchema(op);
  const inPath = pathParams(op).map((p) => p.name);
  const header = op.tenant ? headersOf(op) : undefined;
  if (op.method === 'get')
    return { requestParams: { query: omit(op.input, inPath), ...(path && { path }), header } };
  // authenticate reads nothing but its Authorization header (the apiKey scheme).
  if (!op.tenant) return {};
  const inQuery = queryParameters(op);
  const body = omit(op.input, [...inQuery, ...inPath]);
  return {
    requestParams: { query: pick(op.input, inQuery), ...(path && { path }), header },
    // A DELETE, or a POST whose path says everything, has no body.
    ...(Object.keys(body.shape).length && { requestBody: { required: true, ...json(body) } }),
  };
}

/**
 * The error statuses an operation answers with: those of the error codes it declares (every tenant operation
 * may also refuse its input or credentials), 429 from the abuse limits every request past the docs goes
 * through (limits.ts), and 413 where a body is read.
 */
function errorStatuses(op: OperationEntry, hasBody: boolean): number[] {
  const codes = new Set<ErrorCode>([
    'unauthorized',
    ...(op.tenant ? ['validation' as const] : []),
    ...op.errors,
  ]);
  const statuses = new Set([...codes].map((c) => HTTP_STATUS[c]));
  statuses.add(429);
  if (hasBody) statuses.add(HTTP_STATUS.too_large);
  return [...statuses].sort((a, b) => a - b);
}

function pathItem(name: string, op: OperationEntry): ZodOpenApiOperationObject {
  const request = requestOf(op);
  const dataSchema = op.rest.dataSchema ?? op.output;
  const successes = Object.entries(op.rest.responses).map(([status, description]) => [
    status,
    { description: String(description), ...json(envelope(dataSchema)) },
  ]);
  const errors = errorStatuses(op, request.requestBody !== undefined).map((status) => [
    status,
    { description: ERROR_ANSWERS[status] ?? 'Refused', ...json(errorEnvelope) },
  ]);
  return {
    operationId: operationIdOf(name),
    'x-trpc-procedure': name,
    summary: op.summary,
    tags: [name.split('.')[0]!],
    security: [op.tenant ? { bearer: [] } : { apiKey: [] }],
    ...request,
    responses: Object.fromEntries([...successes, ...errors]),
  };
}

const DESCRIPTION = `NexHealth-compatible Patients API of the open-source **patients** service.

Every response has the envelope \`{ code, description, error, data, count? }\`. Authenticate with
\`POST /authenticates\` (header \`Authorization: <api_key>\`, the \`apiKey\` scheme) and send
\`Authorization: Bearer <token>\` on every other request (the \`bearer\` scheme); a raw API key is also accepted
as bearer. Every request names its institution with \`subdomain\`.

Choices where the NexHealth contract is silent: unknown fields in a body are refused with a message naming them;
\`per_page\` is at most 1000; a name search returns patients whose score passes the matcher's threshold, best first,
each with \`match.reasons\`; the same operations are available as tRPC procedures under \`/trpc\`, each named in its
operation's \`x-trpc-procedure\` (\`patients.search\` is \`patientsSearch\` here); the typed client for them is the
\`@patients/client\` package.`;

export function openApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const { name, op } of operationList()) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [op.method]: pathItem(name, op) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'patients API',
      version: '0.1.0',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    // Relative: the server that serves this document, whatever name or proxy it is reached by (Swagger UI at
    // /docs then calls the same origin). A fixed public URL would be wrong for every other way in.
    servers: [{ url: '/', description: 'The server this document is served by' }],
    components: { securitySchemes: SECURITY_SCHEMES },
    security: [{ bearer: [] }],
    paths,
  });
}
