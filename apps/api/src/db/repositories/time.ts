// One clock for stored times: ISO 8601 UTC with milliseconds (SPEC 4.1).
export function nowIso(): string {
  return new Date().toISOString();
}

/** SQLite gives 0/1 for booleans, PostgreSQL true/false. */
export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}
