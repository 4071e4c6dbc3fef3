// The NexHealth-style REST paths (SPEC 3-6), one route per entry of the operations table (operations.ts).
// Each route: credentials (401), the query string and body read through the entry's core input schema
// (400), the subdomain resolved to the caller's own institution (403), the entry's service call, and its
// result in the envelope.
import { fromQueryString, MAX_ID, notFoundError, ok, validationError } from '@patients/core';
import { type Request, Router } from 'express';
import { type OperationEntry, operationList } from '../operations';
import type { Services } from '../services';
import { callerOf, institutionFor } from '../tenancy';
import { handle, parseInput } from './envelope';

/** A path id: anything that is not a whole number in range cannot name a record, so it is "not found". */
function pathId(req: Request, what: string): number {
  const raw = String(req.params.id ?? '');
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw notFoundError(what);
  return id;
}

/** The JSON body as an object; query parameters (subdomain, location_id) are laid over it. */
function bodyWithQuery(req: Request): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw validationError(['The request body must be a JSON object']);
  return { ...body, ...(req.query as Record<string, unknown>) };
}

function route(services: Services, now: () => Date, op: OperationEntry) {
  const schema = fromQueryString(op.input);
  const withBody = op.method !== 'get';
  return handle(async (req) => {
    const authorization = req.headers.authorization;
    const callerId = op.tenant ? await callerOf(services, authorization, now()) : undefined;
    const raw = withBody ? bodyWithQuery(req) : { ...(req.query as Record<string, unknown>) };
    if (op.pathIdNames) raw.id = pathId(req, op.pathIdNames);
    // authenticate takes nothing but its header; a query or body there means nothing to it (SPEC 3).
    const input = parseInput(schema, op.tenant ? raw : {});
    const ctx =
      callerId === undefined
        ? { services, authorization, now }
        : {
            services,
            now,
            institutionId: await institutionFor(
              services,
              callerId,
              (input as { subdomain: string }).subdomain,
            ),
          };
    const result = await op.run(ctx as never, input as never);
    const answer = op.rest;
    const status = answer.status?.(result) ?? Number(Object.keys(answer.responses)[0]);
    const data = answer.data ? answer.data(result) : result;
    return { status, body: ok(answer.description(result), data, answer.count?.(result)) };
  });
}

export function restRoutes(services: Services, now: () => Date): Router {
  const r = Router();
  for (const { op } of operationList()) r[op.method](op.path, route(services, now, op));
  return r;
}
