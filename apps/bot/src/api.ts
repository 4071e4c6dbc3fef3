// The patients API as the bot sees it: the typed tRPC client (types from the API's AppRouter, nothing
// else shared at run time) and the sorting of its errors into what staff are told.
import type { AppRouter } from '@patients/api';
import type { ErrorCode, ExistingMatch } from '@patients/core';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { actingUserHeader } from './actingUser';
import type { ApiConfig } from './config';

export type PatientsApi = ReturnType<typeof createPatientsApi>;

/** How long one API call may take before staff are told the service did not answer (Discord allows 15 minutes after a defer). */
export const API_TIMEOUT_MS = 20_000;

export function createPatientsApi(config: Pick<ApiConfig, 'url' | 'key'>, timeoutMs = API_TIMEOUT_MS) {
  const base = config.url.endsWith('/') ? config.url : `${config.url}/`;
  return createTRPCClient<AppRouter>({
    links: [
      // One HTTP request per call, not batched: each carries the header of its own interaction's user, and
      // a batch could mix two users' calls made in the same tick.
      httpLink({
        url: new URL('trpc', base).toString(),
        headers: () => ({ authorization: `Bearer ${config.key}`, ...actingUserHeader() }),
        fetch: (url, init) => {
          const signals = [AbortSignal.timeout(timeoutMs)];
          if (init?.signal) signals.push(init.signal as AbortSignal);
          return fetch(url, { ...(init as RequestInit), signal: AbortSignal.any(signals) });
        },
      }),
    ],
  });
}

/** The kinds of failure staff need told apart. */
export type ApiFailure =
  /** The API answered 400 with messages (each names a field or says what is wrong). */
  | { kind: 'refused'; messages: string[]; status: number }
  | { kind: 'not_found'; messages: string[]; status: number }
  /** The API refused the bot's key or subdomain: a configuration problem, not the user's. */
  | { kind: 'credentials'; status: number }
  /** The API answered with a server error (5xx, including its health record system being down). */
  | { kind: 'server'; status: number; messages: string[] }
  /** No usable answer: connection refused, timeout, not JSON (a proxy's error page). */
  | { kind: 'unreachable' };

interface ErrorData {
  code?: string;
  httpStatus?: number;
  errors?: unknown;
  /** The API's stable error code (core's ErrorCode): what the bot decides on, never the sentence. */
  errorCode?: ErrorCode;
  /** What the refusal tells beyond its words: the duplicate's `existing` (SPEC 4.3). */
  details?: { existing?: ExistingMatch } | null;
}

/** Sorts an error from the client; anything that is not a tRPC client error is returned as null. */
export function classifyApiError(error: unknown): ApiFailure | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as ErrorData | null | undefined;
  if (!data || typeof data.httpStatus !== 'number') return { kind: 'unreachable' };
  const status = data.httpStatus;
  const messages = Array.isArray(data.errors)
    ? data.errors.filter((m): m is string => typeof m === 'string')
    : [];
  if (status === 401 || status === 403) return { kind: 'credentials', status };
  if (status === 404) return { kind: 'not_found', messages, status };
  if (status >= 500) return { kind: 'server', status, messages };
  return { kind: 'refused', messages: messages.length ? messages : [error.message], status };
}

/** The API's error code of a failed call, when it answered with one. */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error.data as ErrorData | null | undefined)?.errorCode;
}

export function isDuplicateRefusal(error: unknown): boolean {
  return errorCodeOf(error) === 'duplicate';
}

/** The patient a duplicate refusal matched, and why (SPEC 4.3), when the API said. */
export function existingMatchOf(error: unknown): ExistingMatch | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error.data as ErrorData | null | undefined)?.details?.existing ?? undefined;
}

/**
 * What gets logged about a failure: its kind, status and tRPC code, never the messages or the input
 * (an API message may quote what was typed, which is patient data).
 */
export function logFieldsOf(error: unknown): Record<string, string | number> {
  const failure = classifyApiError(error);
  if (failure) {
    const fields: Record<string, string | number> = { failure: failure.kind };
    if ('status' in failure) fields.status = failure.status;
    const code = (error as TRPCClientError<AppRouter>).data?.code;
    if (code) fields.code = code;
    const cause = (error as Error).cause;
    if (failure.kind === 'unreachable' && cause instanceof Error) fields.cause = cause.name;
    return fields;
  }
  if (error instanceof Error) {
    // A programming error: its class and where it happened; discord.js errors carry Discord's code.
    const fields: Record<string, string | number> = { failure: 'internal', error: error.name };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') fields.code = code;
    const where = error.stack
      ?.split('\n')
      .slice(1, 4)
      .map((l) => l.trim())
      .join(' | ');
    if (where) fields.at = where;
    return fields;
  }
  return { failure: 'internal', error: typeof error };
}
