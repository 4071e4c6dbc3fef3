// The clock every stored time comes from. The server has one (ServiceDeps.now, which tests set) and hands it
// to the repositories that write; tools that run outside a server (the admin command line) use the system's.
// Stored times are ISO 8601 UTC with milliseconds (SPEC 4.1).
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** SQLite gives 0/1 for booleans, PostgreSQL true/false. */
export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}
