// The NexHealth-style REST paths (SPEC 3-6), one route per entry of the operations table (operations.ts).
// Each route: credentials (401), the query string and body read through the entry's core input schema
// (400), the subdomain resolved to the caller's own institution (403), the entry's service call, and its
// result in the envelope.
import { fromQueryString, MAX_ID, notFoundError, ok, validationError } from '@patients/core';
import { type Request, Router } from 'express';
import { asServiceError } from '../errors';
import {
  type OperationEntry,
  operationList,
  pathParams,
  queryParameters,
  successStatus,
} from '../operations';
import type { Services } from '../services';
import { actingUserOf, actionOf } from '../services/audit';
import type { Caller } from '../services/auth';
import { callerMemo, everyProblem, institutionFor } from '../tenancy';
import { headerValue } from '../trpc/trpc';
import { handle, parseInput } from './envelope';

/** A path id: anything that is not a whole number in range cannot name a record, so it is "not found". */
function pathId(req: Request, name: string, what: string): number {
  const raw = String(req.params[name] ?? '');
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw notFoundError(what);
  return id;
}

/**
 * The query string split into the parameters the route knows and a message for each it does not (SPEC 2:
 * `nmae is not a known parameter`, never silently ignored). `name[]` is the list form of `name`.
 */
function queryOf(
  req: Request,
  known: ReadonlySet<string>,
): { params: Record<string, unknown>; problems: string[] } {
  const params: Record<string, unknown> = Object.create(null);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (known.has(key.endsWith('[]') ? key.slice(0, -2) : key)) params[key] = value;
    else problems.push(`${key} is not a known parameter`);
  }
  return { params, problems };
}

/** The JSON body as an object (keys such as `__proto__` stay plain keys), query parameters laid over it. */
function bodyWithQuery(req: Request, query: Record<string, unknown>): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw validationError(['The request body must be a JSON object']);
  return Object.assign(Object.create(null), body, query);
}

function route(
  services: Services,
  now: () => Date,
  callerOf: (req: Request) => Promise<Caller>,
  op: OperationEntry,
) {
  // Strict: a body field the route does not know is a 400 naming it (SPEC 2), as an unknown parameter is.
  const schema = fromQueryString(op.input.strict());
  const known = new Set(queryParameters(op));
  const withBody = op.method !== 'get';
  return handle(async (req, res) => {
    const authorization = req.headers.authorization;
    // Every call of an audited operation is recorded, refused ones included (SPEC 3 "Audit log").
    const audit = op.audit
      ? services.audit.begin(
          actionOf(op.audit, req.body),
          String(req.id),
          actingUserOf(req.headers['x-acting-user']),
          () => callerOf(req),
        )
      : undefined;
    let raw: Record<string, unknown> = {};
    const idempotency = { header: headerValue(req.headers['idempotency-key']), replayed: false };
    try {
      const caller = op.tenant ? await callerOf(req) : undefined;
      const query = queryOf(req, known);
      raw = withBody ? bodyWithQuery(req, query.params) : query.params;
      for (const { name, noun } of pathParams(op)) raw[name] = pathId(req, name, noun);
      // authenticate takes nothing but its header; a query or body there means nothing to it (SPEC 3).
      let input: unknown;
      try {
        input = parseInput(schema, op.tenant ? raw : {}, op.tenant ? query.problems : []);
      } catch (err) {
        // SPEC 2: every problem in one answer, the institution's required fields included.
        const refusal = asServiceError(err);
        if (!caller || refusal?.code !== 'validation') throw err;
        throw validationError(await everyProblem(op, services, caller, raw, refusal.messages));
      }
      const ctx =
        caller === undefined
          ? { services, authorization, now }
          : {
              services,
              now,
              audit,
              apiKeyId: caller.apiKeyId,
              idempotency,
              institutionId: await institutionFor(
                services,
                caller,
                (input as { subdomain: string }).subdomain,
              ),
            };
      const result = await op.run(ctx as never, input as never);
      const answer = op.rest;
      const status = successStatus(answer, result);
      const data = answer.data ? answer.data(result) : result;
      await audit?.answered(status, op.audit!.patientIds(result));
      if (idempotency.replayed) res.setHeader('Idempotent-Replayed', 'true');
      return { status, body: ok(answer.description(result), data, answer.count?.(result)) };
    } catch (err) {
      if (idempotency.replayed) res.setHeader('Idempotent-Replayed', 'true');
      // A path's id counts as named even when the call was refused before its input was read (a 401).
      await audit?.refused(err, op.audit?.named?.({ id: req.params.id, ...raw }) ?? []);
      throw err;
    }
  });
}

export function restRoutes(
  services: Services,
  now: () => Date,
  callerOf: (req: Request) => Promise<Caller> = callerMemo(services, now),
): Router {
  const r = Router();
  for (const { op } of operationList()) r[op.method](op.path, route(services, now, callerOf, op));
  return r;
}
