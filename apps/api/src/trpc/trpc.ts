// tRPC setup: context (who is calling), the procedures operations are built on, and the error shape. No data
// transformer (SPEC 8): inputs and outputs are plain JSON, so any HTTP client can call a query.
import { issueMessages, validationError } from '@patients/core';
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Request } from 'express';
import type { z } from 'zod';
import { asServiceError, TRPC_CODE } from '../errors';
import type { OperationEntry } from '../operations';
import type { Services } from '../services';
import { type AuditSpec, actingUserOf, actionOf } from '../services/audit';
import type { Caller } from '../services/auth';
import { everyProblem, institutionFor } from '../tenancy';

export interface Context {
  authorization: string | undefined;
  services: Services;
  now: () => Date;
  /** Who the request's credentials are (found once per request, see tenancy.ts), or a 401 refusal. */
  caller: () => Promise<Caller>;
  /** The request's id (X-Request-Id) and the staff member the client names (X-Acting-User), for the audit. */
  requestId: string;
  actingUser: string | null;
  /** The Idempotency-Key header as sent (checked by the operations that take one, SPEC 4.3). */
  idempotencyKey: string | undefined;
}

/** A header sent once, as its value; sent twice, both (which no key matches: a 400). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export function contextFactory(
  services: Services,
  now: () => Date,
  callerOf: (req: Request) => Promise<Caller>,
) {
  return ({ req }: CreateExpressContextOptions): Context => ({
    authorization: req.headers.authorization,
    services,
    now,
    caller: () => callerOf(req as Request),
    requestId: String((req as Request).id),
    actingUser: actingUserOf(req.headers['x-acting-user']),
    idempotencyKey: headerValue(req.headers['idempotency-key']),
  });
}

/** The messages of a failed call: a refusal's own, core's words for invalid input, nothing of a fault. */
function messagesOf(error: TRPCError): string[] {
  const refusal = asServiceError(error.cause);
  if (refusal) return refusal.messages;
  const cause = error.cause as { issues?: z.core.$ZodIssue[] } | undefined;
  if (error.code === 'BAD_REQUEST' && cause?.issues) return issueMessages({ issues: cause.issues });
  return [error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on our side' : error.message];
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const messages = messagesOf(error);
    const refusal = asServiceError(error.cause);
    // errorCode: core's stable code (`duplicate`, `not_found` ...), what clients decide on.
    const errorCode = refusal?.code ?? (error.code === 'BAD_REQUEST' ? 'validation' : undefined);
    return {
      ...shape,
      message: messages.join('; '),
      // details: what a refusal tells beyond its words (the duplicate's `existing`), as REST's `data`.
      data: { ...shape.data, stack: undefined, errors: messages, errorCode, details: refusal?.data ?? null },
    };
  },
});

export const router = t.router;

/** Refusals thrown by services become tRPC errors with the code of the errors table and the same words. */
export const publicProcedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const refusal = asServiceError(result.error.cause);
    if (refusal)
      throw new TRPCError({ code: TRPC_CODE[refusal.code], message: refusal.message, cause: refusal });
  }
  return result;
});

/** How a procedure's calls are audited: the operation's audit and the REST status of its result. */
export interface ProcedureAudit extends AuditSpec<unknown> {
  status: (result: unknown) => number;
}

/**
 * Records every call (SPEC 3 "Audit log"), outermost so that a call refused for its credentials, its input
 * or its subdomain is recorded too; the entry is written before the answer is sent. A change records its own
 * entry in its transaction, through `ctx.audit`.
 */
function audited(audit: ProcedureAudit | undefined) {
  if (!audit) return publicProcedure;
  return publicProcedure.use(async ({ ctx, next, getRawInput }) => {
    const action = actionOf(audit, await getRawInput().catch(() => undefined));
    const call = ctx.services.audit.begin(action, ctx.requestId, ctx.actingUser, ctx.caller);
    const result = await next({ ctx: { audit: call } });
    if (result.ok) {
      await call.answered(audit.status(result.data), audit.patientIds(result.data));
      return result;
    }
    const raw = await getRawInput().catch(() => undefined);
    const named = raw && typeof raw === 'object' ? (audit.named?.(raw as Record<string, unknown>) ?? []) : [];
    await call.refused(result.error, named);
    return result;
  });
}

/** An input naming the institution it acts in. */
export type TenantInput = z.ZodType<{ subdomain: string }>;

/**
 * A procedure acting within the caller's institution: credentials (401), then the input (400), then its
 * subdomain resolved to the caller's own institution (403 for any other) into `ctx.institutionId`. The
 * resolver never sees a subdomain to trust.
 */
export function tenantProcedure<I extends TenantInput>(
  input: I,
  audit?: ProcedureAudit,
  moreProblems?: OperationEntry['moreProblems'],
) {
  // Requires a valid API key or token (401 otherwise), before the input is even read.
  const signedIn = audited(audit).use(async ({ ctx, next }) => next({ ctx: { caller: await ctx.caller() } }));
  // An input that fails its schema is refused with every problem at once, the institution's own checks
  // included, as on REST (SPEC 2); a valid one goes on to be parsed by `.input()`.
  const checked = !moreProblems
    ? signedIn
    : signedIn.use(async ({ ctx, getRawInput, next }) => {
        const raw = await getRawInput();
        const parsed = input.safeParse(raw);
        if (parsed.success || !raw || typeof raw !== 'object') return next();
        const messages = issueMessages(parsed.error);
        const every = await everyProblem(
          { moreProblems },
          ctx.services,
          ctx.caller,
          raw as Record<string, unknown>,
          messages,
        );
        if (every.length > messages.length) throw validationError(every);
        return next();
      });
  return checked.input(input).use(async ({ ctx, input: parsed, next }) => {
    const { subdomain } = parsed as { subdomain: string };
    return next({
      ctx: {
        institutionId: await institutionFor(ctx.services, ctx.caller, subdomain),
        apiKeyId: ctx.caller.apiKeyId,
        idempotency: { header: ctx.idempotencyKey, replayed: false },
      },
    });
  });
}
