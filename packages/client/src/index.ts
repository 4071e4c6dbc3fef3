// @patients/client: the typed tRPC client of the patients service. One factory, the router's types, and the
// error class a refusal arrives as. The types come from the API's own router (see router.ts), so a procedure's
// input and output are checked by the compiler exactly as the server checks them at run time.
import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './router.js';

export type { AppRouter };
/** Every procedure's input: `RouterInputs['patients']['search']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output: `RouterOutputs['patients']['search']['patients'][number]` is a patient. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** The client `createPatientsClient` returns: `client.patients.search.query({...})`. */
export type PatientsClient = TRPCClient<AppRouter>;
/**
 * A refusal or failure of a call. `error.data?.errorCode` is the service's stable code (`duplicate`,
 * `not_found`, `validation` ...), `error.data?.errors` its messages, `error.data?.details` what a refusal
 * tells beyond them (a duplicate's `existing` patient).
 */
export type PatientsClientError = TRPCClientError<AppRouter>;
export { TRPCClientError };

/** How long a call may take before it is abandoned, unless `timeoutMs` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface PatientsClientOptions {
  /** The service's address, e.g. `https://patients.example.org` (the procedures are under `/trpc`). */
  url: string;
  /** An API key, or a bearer token from `auth.authenticate` (`POST /authenticates`). */
  key: string;
  /** The staff member acting through this client, recorded in the audit log beside the key (`X-Acting-User`). */
  actingUser?: string;
  /** Milliseconds before a call is abandoned with an error (default 10 000). */
  timeoutMs?: number;
}

/**
 * A signal that aborts when `outer` does (tRPC's, when a call is cancelled) or after `ms`, whichever is first.
 * Made by hand: on Node 20 a signal from AbortSignal.any() can be collected before it fires, and the call then
 * waits for ever. The timer is not cleared when the answer's headers arrive, so that reading the body is
 * bounded too; unref'd, it keeps no process alive.
 */
function deadline(outer: unknown, ms: number): AbortSignal {
  const controller = new AbortController();
  const parent = outer as AbortSignal | null | undefined;
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException(`No answer within ${ms} ms`, 'TimeoutError')),
    ms,
  ) as { unref?: () => void };
  timer.unref?.();
  return controller.signal;
}

/**
 * A typed client for one service and one key. Calls made together are sent as one HTTP request (tRPC's
 * batching); each is abandoned after `timeoutMs` so that a service that stops answering cannot hang the caller.
 */
export function createPatientsClient(options: PatientsClientOptions): PatientsClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new RangeError('timeoutMs must be a positive number');
  const base = new URL(options.url);
  const headers: Record<string, string> = { authorization: `Bearer ${options.key}` };
  if (options.actingUser) headers['x-acting-user'] = options.actingUser;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: new URL('trpc', base.href.endsWith('/') ? base : `${base.href}/`).href,
        headers: () => headers,
        fetch: (url, init) =>
          fetch(url, { ...(init as RequestInit), signal: deadline(init?.signal, timeoutMs) }),
      }),
    ],
  });
}
