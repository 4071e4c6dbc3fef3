// Who is calling, and in which institution, decided the same way for both faces: tRPC's tenantProcedure
// (trpc/trpc.ts) and every REST route (rest/routes.ts) call these two (the abuse limits, limits.ts, share
// the first), in this order, around the input's
// validation. Credentials first (401, before the input is read), then the input's subdomain, which must be
// the caller's own institution (403 for any other and for one that does not exist: nothing is revealed).
import type { Request } from 'express';
import type { OperationEntry } from './operations';
import type { Services } from './services';
import type { Caller } from './services/auth';

/**
 * The caller of a request, found once and shared by the limiter and the route (tenancy.ts): a promise that
 * rejects with the 401 refusal when the credentials are missing or bad.
 */
export function callerMemo(services: Services, now: () => Date) {
  const memo = new WeakMap<Request, Promise<Caller>>();
  return (req: Request): Promise<Caller> => {
    let found = memo.get(req);
    if (!found) {
      found = services.auth.callerOf(req.headers.authorization, now());
      // Settled here too, so that a limiter that never awaits it leaves no unhandled rejection.
      found.catch(() => {});
      memo.set(req, found);
    }
    return found;
  };
}

/** The id of the institution `subdomain` names, when it is the caller's own, or forbidden. */
export async function institutionFor(services: Services, caller: Caller, subdomain: string): Promise<number> {
  return (await services.auth.tenant(caller.institutionId, subdomain)).id;
}

/**
 * Every problem of an input that failed its schema (SPEC 2): the schema's `messages`, then the entry's own
 * further checks, which need the institution, when the raw subdomain is the caller's own (else the schema's
 * alone: a subdomain that is not theirs learns nothing of that institution's settings).
 */
export async function everyProblem(
  op: { moreProblems?: OperationEntry['moreProblems'] },
  services: Services,
  caller: Caller,
  raw: Record<string, unknown>,
  messages: string[],
): Promise<string[]> {
  if (!op.moreProblems || typeof raw.subdomain !== 'string') return messages;
  const institutionId = await institutionFor(services, caller, raw.subdomain).catch(() => undefined);
  if (institutionId === undefined) return messages;
  const more = await op.moreProblems(services, institutionId, raw);
  return [...messages, ...more.filter((m) => !messages.includes(m))];
}
