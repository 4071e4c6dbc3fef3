// Short-lived state behind buttons (search paging, register choices): who may press them and what they act
// on. Kept in memory on purpose: it lasts minutes, holds what the staff member just typed, and a restart
// that forgets it only turns the buttons into "expired", which staff can recover from by running again.
import { randomBytes } from 'node:crypto';

/** How long buttons work after the command ran. */
export const SESSION_TTL_MS = 10 * 60_000;
/** A bound on memory: the oldest sessions go first when it is reached. */
export const MAX_SESSIONS = 2_000;

interface Entry<T> {
  ownerId: string;
  expiresAt: number;
  data: T;
}

export type SessionLookup<T> =
  | { status: 'ok'; data: T }
  | { status: 'expired' }
  /** Someone other than the staff member who ran the command pressed it. */
  | { status: 'not_owner' };

export class SessionStore<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = SESSION_TTL_MS,
  ) {}

  create(ownerId: string, data: T): string {
    this.#sweep();
    const key = randomBytes(9).toString('base64url');
    this.#entries.set(key, { ownerId, data, expiresAt: this.now() + this.ttlMs });
    return key;
  }

  get(key: string, userId: string): SessionLookup<T> {
    const entry = this.#entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return { status: 'expired' };
    }
    if (entry.ownerId !== userId) return { status: 'not_owner' };
    return { status: 'ok', data: entry.data };
  }

  /** Replaces the data (paging moves the page) without extending the session's life. */
  update(key: string, data: T): void {
    const entry = this.#entries.get(key);
    if (entry) entry.data = data;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    // Map keeps insertion order, so the first keys are the oldest.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < MAX_SESSIONS) break;
      this.#entries.delete(key);
    }
  }
}
