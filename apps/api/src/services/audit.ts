// Recording the audit log (SPEC 3 "Audit log"). Each call of an audited operation gets an AuditCall from
// `begin`; the entry it writes says when, who (the API key, and the staff member the client names in
// X-Acting-User), what, which patient ids the answer named, the status, and the request id.
//
// When the entry is written:
// - a change (create, edit, booking, cancellation) writes it inside the change's own transaction, as its last
//   statement (`changed`), so a change never exists without its entry and an entry never outlives a change
//   that rolled back;
// - a read, and any refused or failed call, queues it as the answer is sent (`answered`, `refused`); the
//   queue is written in the background once a second, all that waits in one INSERT, so a search never waits
//   for a write (nor for another process that holds SQLite's write lock). An entry is committed within about a
//   second of its answer; only a crash in that window can lose it (a stop, SIGTERM, writes the queue first). When entries cannot be written (the database
//   refuses writes) they are kept and retried, and once 10,000 wait, reads are refused with 503 until the
//   log catches up: nothing is read without its entry being kept.

import { unavailableError } from '@patients/core';
import type { Knex } from 'knex';
import type { Database } from '../db/connect';
import { type AuditAction, type AuditEntry, auditRepo } from '../db/repositories/audit';
import { withoutInstitutionLock } from '../db/writes';
import { asServiceError, httpStatusOf } from '../errors';
import type { Caller } from './auth';

export type { AuditAction } from '../db/repositories/audit';

/**
 * How an operation is audited (operations.ts): its action, the patient ids its answer names, and the ids a
 * refused request named (a path's patient id), read from the raw input, which may be anything.
 */
export interface AuditSpec<R> {
  /** The action, or how the raw input decides it (a PATCH that cancels or confirms). */
  action: AuditAction | ((raw: Record<string, unknown>) => AuditAction);
  patientIds: (result: R) => number[];
  named?: (raw: Record<string, unknown>) => number[];
}

/** The action of a call, from its raw input (which may be anything). */
export function actionOf(spec: Pick<AuditSpec<unknown>, 'action'>, raw: unknown): AuditAction {
  if (typeof spec.action === 'string') return spec.action;
  return spec.action(raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {});
}

/** What a service needs to record its change: `changed`, inside its transaction. */
export interface ChangeAudit {
  /** `status` is what the answer will be: 201 for something created, 200 otherwise. */
  changed(trx: Knex.Transaction, patientIds: number[], status: number): Promise<void>;
}

/** The longest X-Acting-User kept; longer names are cut (the header is the client's word, not ours). */
const ACTING_USER_MAX = 128;

/** X-Acting-User as stored: control characters removed, at most 128 characters, null when empty. */
export function actingUserOf(header: string | string[] | undefined): string | null {
  const value = (Array.isArray(header) ? header.join(', ') : (header ?? ''))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, ACTING_USER_MAX);
  return value || null;
}

/**
 * At most this many entries wait to be written. Past it (the database has refused writes for a while) reads
 * are refused with 503 rather than answered without their entries being kept.
 */
export const MAX_AUDIT_BACKLOG = 10_000;

/** How long a failed write of entries waits before it is tried again (they stay queued meanwhile). */
const RETRY_MS = 1000;

/**
 * Entries are gathered this long before they are written together, in one transaction. Each commit on SQLite
 * makes the server's read connection drop its page cache at its next read (a reader cannot know which pages
 * another connection changed), so the interval is what a read-only workload pays: written every 50 ms, audit
 * entries took about 10% off HTTP search throughput at 100k patients; once a second, that cost is lost in
 * the noise. It is also the longest a crash can lose entries of answers already sent.
 */
export const AUDIT_FLUSH_MS = 1000;

/** `onFailure` hears of a write of entries that failed and will be retried (for the server's log). */
export function auditLog(db: Database, now: () => Date, onFailure: (err: unknown) => void = () => {}) {
  const pending: AuditEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  /** Writes what waits, oldest first, a batch per transaction, until nothing waits; retries a failure. */
  async function flush(): Promise<void> {
    while (pending.length) {
      const batch = pending.slice(0, MAX_AUDIT_BACKLOG);
      try {
        await withoutInstitutionLock(db, (trx) => auditRepo(trx).append(batch));
        pending.splice(0, batch.length);
      } catch (err) {
        onFailure(err);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  /** Starts a flush unless one runs (it writes what arrives meanwhile before it ends). */
  function flushNow(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    flushing ??= flush().finally(() => {
      flushing = undefined;
      if (pending.length) schedule();
    });
    return flushing;
  }

  function schedule(): void {
    timer ??= setTimeout(flushNow, AUDIT_FLUSH_MS);
  }

  /** Queues an entry written on its own; refuses (503) when the backlog is full. */
  function append(entry: AuditEntry): void {
    if (pending.length >= MAX_AUDIT_BACKLOG) throw unavailableError();
    pending.push(entry);
    if (!flushing) schedule();
  }

  return {
    /** Writes every queued entry now, resolving once they are in (the server waits for it when it stops). */
    async drained(): Promise<void> {
      while (pending.length || flushing) await flushNow();
    },

    /**
     * The audit of one call: `caller` is who its credentials are (rejecting when they were refused),
     * asked only when the entry is written.
     */
    begin(
      action: AuditAction,
      requestId: string,
      actingUser: string | null,
      caller: () => Promise<Caller>,
    ): AuditCall {
      let written = false;
      const entry = async (status: number, patientIds: number[]): Promise<AuditEntry> => {
        const who = await caller().catch(() => undefined);
        return {
          at: now().toISOString(),
          institution_id: who?.institutionId ?? null,
          api_key_id: who?.apiKeyId ?? null,
          acting_user: actingUser,
          action,
          patient_ids: [...new Set(patientIds)],
          status,
          request_id: requestId,
        };
      };
      return {
        async changed(trx, patientIds, status) {
          await auditRepo(trx).append([await entry(status, patientIds)]);
          written = true;
        },
        async answered(status, patientIds) {
          // A change's entry was written with the change (its transaction committed, or the call failed).
          if (!written) append(await entry(status, patientIds));
        },
        async refused(err, patientIds) {
          // A duplicate refusal names the patient it matched: that is a patient the answer revealed.
          const refusal =
            asServiceError(err) ?? asServiceError((err as { cause?: unknown } | undefined)?.cause);
          const existing = (refusal?.data as { existing?: { id?: unknown } } | undefined)?.existing?.id;
          const ids = typeof existing === 'number' ? [...patientIds, existing] : patientIds;
          append(await entry(httpStatusOf(err), ids));
        },
      };
    },
  };
}

export interface AuditCall extends ChangeAudit {
  /** The call was answered `status` naming these patients (a change's entry is already written). */
  answered(status: number, patientIds: number[]): Promise<void>;
  /** The call was refused or failed with `err`; `patientIds` are those the request named. */
  refused(err: unknown, patientIds: number[]): Promise<void>;
}

export type AuditLog = ReturnType<typeof auditLog>;
