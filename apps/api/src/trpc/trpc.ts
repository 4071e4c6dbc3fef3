// tRPC setup: context (who is calling), procedures, and error shape. No data transformer (SPEC 8): inputs
// and outputs are plain JSON, so any HTTP client can call a query.

import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { isSqliteBusy } from '../db/sqliteClient';
import { ApiError, type ErrorKind, unavailable } from '../errors';
import type { Services } from '../services';

export interface Context {
  authorization: string | undefined;
  services: Services;
  now: () => Date;
}

export function contextFactory(services: Services, now: () => Date) {
  return ({ req }: CreateExpressContextOptions): Context => ({
    authorization: req.headers.authorization,
    services,
    now,
  });
}

const CODE: Record<ErrorKind, TRPCError['code']> = {
  bad_request: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  too_large: 'PAYLOAD_TOO_LARGE',
  bad_gateway: 'BAD_GATEWAY',
  unavailable: 'SERVICE_UNAVAILABLE',
};

/** The same messages as the REST envelope's `error` array, for a failed input validation or service call. */
export function messagesOf(error: TRPCError): string[] {
  const cause = error.cause as
    | { issues?: Array<{ path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string }> }
    | undefined;
  if (cause instanceof ApiError) return cause.messages;
  if (cause?.issues) {
    return cause.issues.map((issue) => {
      const path = (issue.path ?? [])
        .map((p) => (typeof p === 'object' && p !== null ? p.key : p))
        .map(String);
      if (path.length > 1 && (path[0] === 'patient' || path[0] === 'appt')) path.shift();
      return path.length ? `${path.join('.')} ${issue.message}` : issue.message;
    });
  }
  return [error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on our side' : error.message];
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const messages = messagesOf(error);
    return {
      ...shape,
      message: messages.join('; '),
      data: { ...shape.data, stack: undefined, errors: messages },
    };
  },
});

export const router = t.router;

/** Service errors become tRPC errors with the same words. */
const apiErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && (result.error.cause instanceof ApiError || isSqliteBusy(result.error.cause))) {
    const cause = result.error.cause instanceof ApiError ? result.error.cause : unavailable();
    throw new TRPCError({ code: CODE[cause.kind], message: cause.messages.join('; '), cause });
  }
  return result;
});

/** Requires a valid API key or token; `ctx.tenant(subdomain)` then names the caller's own institution. */
export const protectedProcedure = t.procedure.use(apiErrors).use(async ({ ctx, next }) => {
  const callerId = await ctx.services.auth.institutionOf(ctx.authorization, ctx.now());
  return next({
    ctx: {
      tenant: async (subdomain: string) => (await ctx.services.auth.tenant(callerId, subdomain)).id,
    },
  });
});
