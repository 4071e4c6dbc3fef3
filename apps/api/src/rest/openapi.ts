// The OpenAPI 3 document of the REST API, made from the operations table (operations.ts) and the same zod
// schemas the routes validate with: one path item per entry, its success answers from the entry, and an
// error answer for each error code it declares (statuses from errors.ts).
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
  502: 'The health record system could not be reached',
  503: 'The database is busy with other work; retry after the `Retry-After` seconds',
};

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

function pathItem(name: string, op: OperationEntry): ZodOpenApiOperationObject {
  const params = pathParams(op);
  const inPath = params.map((p) => p.name);
  const codes = new Set<ErrorCode>(op.tenant ? ['validation', 'unauthorized', ...op.errors] : op.errors);
  if (!op.tenant) codes.add('unauthorized');
  const errorStatuses = [...new Set([...codes].map((c) => HTTP_STATUS[c]))].sort((a, b) => a - b);
  const dataSchema = op.rest.dataSchema ?? op.output;
  const operation: ZodOpenApiOperationObject = {
    operationId: name,
    summary: op.summary,
    responses: {
      ...Object.fromEntries(
        Object.entries(op.rest.responses).map(([status, description]) => [
          status,
          { description: String(description), ...json(envelope(dataSchema)) },
        ]),
      ),
      ...Object.fromEntries(
        errorStatuses.map((status) => [
          status,
          { description: ERROR_ANSWERS[status] ?? 'Refused', ...json(errorEnvelope) },
        ]),
      ),
    },
  };
  if (!op.tenant) operation.security = [];
  const path = params.length
    ? z.object(
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
      )
    : undefined;
  const header = op.tenant ? headersOf(op) : undefined;
  if (op.method === 'get') {
    operation.requestParams = { query: omit(op.input, inPath), ...(path && { path }), header };
  } else if (op.tenant) {
    const inQuery = queryParameters(op);
    operation.requestParams = { query: pick(op.input, inQuery), ...(path && { path }), header };
    const body = omit(op.input, [...inQuery, ...inPath]);
    // A DELETE, or a POST whose path says everything, has no body.
    if (Object.keys(body.shape).length) operation.requestBody = { required: true, ...json(body) };
  }
  return operation;
}

const DESCRIPTION = `NexHealth-compatible Patients API of the open-source **patients** service.

Every response has the envelope \`{ code, description, error, data, count? }\`. Authenticate with
\`POST /authenticates\` (header \`Authorization: <api_key>\`) and send \`Authorization: Bearer <token>\` on every
other request; a raw API key is also accepted as bearer. Every request names its institution with \`subdomain\`.

Choices where the NexHealth contract is silent: unknown fields in a body are refused with a message naming them;
\`per_page\` is at most 1000; a name search returns patients whose score passes the matcher's threshold, best first,
each with \`match.reasons\`; the same operations are available as tRPC procedures under \`/trpc\`, named as the
\`operationId\`s here.`;

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
      license: { name: 'Apache-2.0' },
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  });
}
