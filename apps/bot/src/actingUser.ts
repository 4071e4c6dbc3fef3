// Who is acting, told to the API on every call (the X-Acting-User header, SPEC 3's audit log): the Discord
// user whose interaction is being handled, as "<user id> (<username>)". One API client serves every
// interaction, so the user travels with the interaction's asynchronous work (AsyncLocalStorage), not
// through each call site; calls made outside an interaction (start-up checks) name nobody.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/** Runs `work` (an interaction's handling) as the Discord user `user`. */
export function asActingUser<T>(user: { id: string; tag: string }, work: () => T): T {
  return current.run(`${user.id} (${user.tag})`, work);
}

/** The header naming the user of the interaction this call belongs to, if any. */
export function actingUserHeader(): Record<string, string> {
  const user = current.getStore();
  return user ? { 'x-acting-user': user } : {};
}
