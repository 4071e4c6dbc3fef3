// How each code of core's error vocabulary (packages/core/src/errors.ts) answers on each face: the HTTP
// status of the REST envelope and the tRPC code. This table is the one place that decides it.
import { type ErrorCode, ServiceError, unavailableError } from '@patients/core';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { isSqliteBusy } from './db/sqliteClient';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation: 400,
  duplicate: 400,
  not_editable: 400,
  conflict: 400,
  hrs_refused: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  hrs_unreachable: 502,
  unavailable: 503,
  idempotency_mismatch: 422,
  in_progress: 409,
};

export const TRPC_CODE: Record<ErrorCode, TRPCError['code']> = {
  validation: 'BAD_REQUEST',
  duplicate: 'BAD_REQUEST',
  not_editable: 'BAD_REQUEST',
  conflict: 'BAD_REQUEST',
  hrs_refused: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  too_large: 'PAYLOAD_TOO_LARGE',
  hrs_unreachable: 'BAD_GATEWAY',
  unavailable: 'SERVICE_UNAVAILABLE',
  idempotency_mismatch: 'UNPROCESSABLE_CONTENT',
  in_progress: 'CONFLICT',
};

/** Seconds a client is asked to wait before retrying a 503 (the `Retry-After` header). */
export const RETRY_AFTER_SECONDS = 2;

/**
 * A thrown value as the refusal it means: a ServiceError as it is, SQLite still busy after the wait as
 * `unavailable`; anything else is a fault of ours (undefined), answered 500 without detail.
 */
export function asServiceError(err: unknown): ServiceError | undefined {
  if (err instanceof ServiceError) return err;
  if (isSqliteBusy(err)) return unavailableError();
  return undefined;
}

/**
 * The HTTP status a failed call is answered with on REST (a tRPC call's is recorded the same way in the
 * audit log): a refusal's from the table above, tRPC's own for its errors (400 for input its schema
 * refused), 500 for a fault.
 */
export function httpStatusOf(err: unknown): number {
  const refusal = asServiceError(err) ?? asServiceError((err as { cause?: unknown } | undefined)?.cause);
  if (refusal) return HTTP_STATUS[refusal.code];
  if (err instanceof TRPCError) return getHTTPStatusCodeFromError(err);
  return 500;
}
