// Who is calling, and in which institution, decided the same way for both faces: tRPC's tenantProcedure
// (trpc/trpc.ts) and every REST route (rest/routes.ts) call these two, in this order, around the input's
// validation. Credentials first (401, before the input is read), then the input's subdomain, which must be
// the caller's own institution (403 for any other and for one that does not exist: nothing is revealed).
import type { Services } from './services';
import type { Caller } from './services/auth';

/** The institution and API key the credentials (API key or bearer token) belong to, or unauthorized. */
export function callerOf(services: Services, authorization: string | undefined, now: Date): Promise<Caller> {
  return services.auth.callerOf(authorization, now);
}

/** The id of the institution `subdomain` names, when it is the caller's own, or forbidden. */
export async function institutionFor(services: Services, caller: Caller, subdomain: string): Promise<number> {
  return (await services.auth.tenant(caller.institutionId, subdomain)).id;
}
