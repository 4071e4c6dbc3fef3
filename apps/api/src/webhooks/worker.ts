// Delivers webhook events (SPEC 11) from the server process, never on a request's path. Every `pollMs` it
// looks (a read) for due deliveries; when there are some, it claims them in a small transaction (on
// PostgreSQL with SKIP LOCKED, so several server processes share the work and each delivery is claimed once)
// and sends them: one at a time per endpoint, oldest first; several endpoints side by side. Each attempt is
// signed per the Standard Webhooks specification, has 10 s to be answered 2xx, and is recorded (time, status
// or network error, the answer's first 200 characters). A failure is retried after 5 s, 30 s, 2 min, 10 min,
// 1 h and 6 h, then given up. Deliveries live in the database, so a restart picks up what was pending.
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import type { Database } from '../db/connect';
import { appointmentsRepo, toAppointment } from '../db/repositories/appointments';
import { patientsRepo } from '../db/repositories/patients';
import { practiceRepo } from '../db/repositories/practice';
import { type AttemptRecord, type DeliveryRow, webhooksRepo } from '../db/repositories/webhooks';
import { withoutInstitutionLock } from '../db/writes';
import { safeError } from '../logging';
import { presentPatient } from '../services/presentPatient';
import type { TargetPolicy } from './targets';

/** SPEC 11's retry schedule: the wait after the first failure, the second, ... then given up. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];
const ATTEMPT_TIMEOUT_MS = 10_000;
/** A claim outlives any attempt, so a claimed delivery is never sent twice at once. */
const LEASE_MS = 60_000;
/** Endpoints served side by side, and deliveries claimed for each at a time (sent one after another). */
const CLAIM_ENDPOINTS = 20;
const CLAIM_PER_ENDPOINT = 50;
const RESPONSE_KEPT = 200;

export interface WorkerOptions {
  db: Database;
  targets: TargetPolicy;
  logger: Logger;
  now: () => Date;
  pollMs?: number;
  /** Tests shorten the schedule; the server uses SPEC 11's. */
  retryDelaysMs?: readonly number[];
}

/** What a delivery carries: the event and the resource as the subscriber's institution sees it now. */
async function payloadOf(db: Database, d: DeliveryRow, now: Date): Promise<Record<string, unknown>> {
  const knex = db.read;
  let data: Record<string, unknown>;
  if (d.resource_type === 'Patient') {
    const row = await patientsRepo(knex).byId(d.institution_id, d.resource_id);
    data = { patient: row ? await presentPatient(knex, d.institution_id, row, now) : null };
  } else {
    const row = await appointmentsRepo(knex).byId(d.institution_id, d.resource_id);
    const names = row
      ? await practiceRepo(knex).providerNames(d.institution_id, [row.provider_id])
      : new Map();
    data = { appt: row ? toAppointment(row, names.get(row.provider_id) ?? '') : null };
  }
  return {
    id: `msg_${d.id}`,
    event: d.event,
    resource_type: d.resource_type,
    created_at: d.created_at,
    data,
  };
}

export function startWebhookWorker(options: WorkerOptions) {
  const { db, targets, logger, now } = options;
  const pollMs = options.pollMs ?? 500;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function attempt(d: DeliveryRow): Promise<AttemptRecord> {
    const at = now();
    const record = (status: number | null, error: string | null, response: string | null): AttemptRecord => ({
      at: at.toISOString(),
      status,
      error,
      response,
    });
    const endpoint = await webhooksRepo(db.read).endpoint(d.institution_id, d.endpoint_id);
    if (!endpoint) return record(null, 'the endpoint was removed', null);
    const refusal = await targets.refusal(endpoint.target_url);
    if (refusal) return record(null, `not sent: ${refusal}`, null);
    const body = JSON.stringify(await payloadOf(db, d, at));
    const msgId = `msg_${d.id}`;
    const signature = new Webhook(endpoint.secret).sign(msgId, at, body);
    try {
      const res = await fetch(endpoint.target_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'patients-webhooks/1',
          'webhook-id': msgId,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        // A redirect is an answer, not a place to follow: following one could reach the practice's network.
        redirect: 'manual',
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      const text = (await res.text().catch(() => '')).slice(0, RESPONSE_KEPT);
      return record(res.status, null, text || null);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why =
        e.name === 'TimeoutError'
          ? `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`
          : (e.cause?.code ?? e.message);
      return record(null, why, null);
    }
  }

  const succeeded = (a: AttemptRecord) => a.status !== null && a.status >= 200 && a.status < 300;

  function outcomeOf(d: DeliveryRow, a: AttemptRecord) {
    if (succeeded(a)) return { status: 'delivered' as const, next: null };
    const wait = delays[d.attempts];
    return wait === undefined
      ? { status: 'failed' as const, next: null }
      : { status: 'pending' as const, next: new Date(now().getTime() + wait).toISOString() };
  }

  /**
   * One endpoint's claimed deliveries, in order, one at a time; a failure stops the run (the rest wait behind
   * it, in order). The results are recorded together: one commit per run, not per delivery.
   */
  async function deliverInOrder(list: DeliveryRow[]): Promise<void> {
    const results: Array<{
      delivery: DeliveryRow;
      attempt: AttemptRecord;
      outcome: ReturnType<typeof outcomeOf>;
    }> = [];
    for (const d of list) {
      if (stopped) break;
      const a = await attempt(d);
      results.push({ delivery: d, attempt: a, outcome: outcomeOf(d, a) });
      if (!succeeded(a)) {
        // Which endpoint and why, never the payload.
        logger.warn(
          { delivery: d.id, endpoint: d.endpoint_id, status: a.status, error: a.error },
          'webhook delivery failed',
        );
        break;
      }
    }
    const unsent = list.slice(results.length).map((d) => d.id);
    await withoutInstitutionLock(db, async (trx) => {
      await webhooksRepo(trx).recordAttempts(results);
      await webhooksRepo(trx).release(unsent);
    });
  }

  /** Delivers until nothing is due (or the worker stops). */
  async function tick(): Promise<void> {
    while (!stopped) {
      const at = now().toISOString();
      // Look first on the read connection: an idle server never writes to find nothing.
      if (!(await webhooksRepo(db.read).anyDue(at))) return;
      const claimed = await withoutInstitutionLock(db, (trx) =>
        webhooksRepo(trx).claimDue(at, LEASE_MS, CLAIM_ENDPOINTS, CLAIM_PER_ENDPOINT),
      );
      if (!claimed.length) return;
      const byEndpoint = new Map<number, DeliveryRow[]>();
      for (const d of claimed) byEndpoint.set(d.endpoint_id, [...(byEndpoint.get(d.endpoint_id) ?? []), d]);
      await Promise.all([...byEndpoint.values()].map(deliverInOrder));
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err) => logger.warn({ err: safeError(err) }, 'webhook worker tick failed'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, pollMs);
  }
  schedule();

  return {
    /** Stops looking and waits for the deliveries in flight. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
