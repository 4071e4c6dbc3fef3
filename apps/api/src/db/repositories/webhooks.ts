// Webhook endpoints, subscriptions and deliveries (SPEC 11). Every method takes the institution, except the
// delivery worker's claim, which hands each delivery back with its own institution.
import type { WebhookEvent, WebhookResourceType } from '@patients/core';
import type { Knex } from 'knex';
import { isPostgres } from '../dialect';
import { bool, type Clock, systemClock } from './time';

export interface EndpointRow {
  id: number;
  institution_id: number;
  target_url: string;
  secret: string;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionRow {
  id: number;
  endpoint_id: number;
  resource_type: WebhookResourceType;
  event: WebhookEvent;
  created_at: string;
}

export interface AttemptRecord {
  at: string;
  status: number | null;
  error: string | null;
  response: string | null;
}

export interface DeliveryRow {
  id: number;
  institution_id: number;
  endpoint_id: number;
  event: WebhookEvent;
  resource_type: WebhookResourceType;
  resource_id: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  attempt_log: AttemptRecord[];
  next_attempt_at: string | null;
  created_at: string;
}

const endpointFrom = (r: Record<string, unknown>) => ({
  ...(r as unknown as EndpointRow),
  active: bool(r.active),
});
const deliveryFrom = (r: Record<string, unknown>): DeliveryRow => ({
  ...(r as unknown as DeliveryRow),
  attempt_log: JSON.parse(String(r.attempt_log ?? '[]')),
});

export function webhooksRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  return {
    async createEndpoint(institutionId: number, targetUrl: string, secret: string, active: boolean) {
      const now = nowIso();
      const [row] = await db('webhook_endpoints')
        .insert({
          institution_id: institutionId,
          target_url: targetUrl,
          secret,
          active,
          created_at: now,
          updated_at: now,
        })
        .returning('*');
      return endpointFrom(row);
    },

    async endpoints(institutionId: number): Promise<EndpointRow[]> {
      return (await db('webhook_endpoints').where({ institution_id: institutionId }).orderBy('id')).map(
        endpointFrom,
      );
    },

    async endpoint(institutionId: number, id: number): Promise<EndpointRow | undefined> {
      const row = await db('webhook_endpoints').where({ institution_id: institutionId, id }).first();
      return row ? endpointFrom(row) : undefined;
    },

    async updateEndpoint(
      institutionId: number,
      id: number,
      fields: { target_url?: string; active?: boolean },
    ) {
      const [row] = await db('webhook_endpoints')
        .where({ institution_id: institutionId, id })
        .update({ ...fields, updated_at: nowIso() })
        .returning('*');
      return row ? endpointFrom(row) : undefined;
    },

    /** Removes an endpoint with its subscriptions and deliveries. */
    async deleteEndpoint(institutionId: number, id: number): Promise<boolean> {
      const found = await db('webhook_endpoints').where({ institution_id: institutionId, id }).first('id');
      if (!found) return false;
      await db('webhook_deliveries').where({ endpoint_id: id }).delete();
      await db('webhook_subscriptions').where({ endpoint_id: id }).delete();
      await db('webhook_endpoints').where({ institution_id: institutionId, id }).delete();
      return true;
    },

    async subscriptions(endpointIds: readonly number[]): Promise<SubscriptionRow[]> {
      if (!endpointIds.length) return [];
      return db('webhook_subscriptions').whereIn('endpoint_id', endpointIds).orderBy('id');
    },

    /** Subscribes an endpoint to an event; subscribing again changes nothing. */
    async subscribe(institutionId: number, endpointId: number, resourceType: string, event: string) {
      const existing = await db('webhook_subscriptions').where({ endpoint_id: endpointId, event }).first();
      if (existing) return existing as SubscriptionRow;
      const [row] = await db('webhook_subscriptions')
        .insert({
          endpoint_id: endpointId,
          institution_id: institutionId,
          resource_type: resourceType,
          event,
          created_at: nowIso(),
        })
        .returning('*');
      return row as SubscriptionRow;
    },

    /**
     * The outbox: one pending delivery per active endpoint of the institution subscribed to `event`, written
     * through `db` (the change's own transaction). Nothing when nobody listens: one indexed lookup.
     */
    async enqueue(
      institutionId: number,
      event: WebhookEvent,
      resourceType: WebhookResourceType,
      resourceIds: readonly number[],
    ): Promise<number> {
      if (!resourceIds.length) return 0;
      const listeners = await db('webhook_subscriptions as s')
        .join('webhook_endpoints as e', 'e.id', 's.endpoint_id')
        .where({ 's.institution_id': institutionId, 's.event': event, 'e.active': true })
        .select('s.endpoint_id');
      if (!listeners.length) return 0;
      const now = nowIso();
      const rows = listeners.flatMap((l) =>
        resourceIds.map((resourceId) => ({
          institution_id: institutionId,
          endpoint_id: l.endpoint_id,
          event,
          resource_type: resourceType,
          resource_id: resourceId,
          status: 'pending',
          attempts: 0,
          attempt_log: '[]',
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })),
      );
      for (let i = 0; i < rows.length; i += 500)
        await db('webhook_deliveries').insert(rows.slice(i, i + 500));
      return rows.length;
    },

    /** Whether any delivery is due (read first, so an idle server never writes to look). */
    async anyDue(at: string): Promise<boolean> {
      const row = await db('webhook_deliveries as d')
        .where('d.status', 'pending')
        .where('d.next_attempt_at', '<=', at)
        .where((w) => w.whereNull('d.locked_until').orWhere('d.locked_until', '<', at))
        .whereExists(
          db('webhook_endpoints as e')
            .whereRaw('e.id = d.endpoint_id')
            .where('e.active', true)
            .select(db.raw('1')),
        )
        .first('d.id');
      return Boolean(row);
    },

    /**
     * Claims due deliveries for `leaseMs`, in order per endpoint: for up to `endpoints` endpoints whose oldest
     * pending delivery is due, that one and the due ones after it, up to `perEndpoint`. On PostgreSQL the rows
     * are locked with SKIP LOCKED, so several server processes each claim different ones. An endpoint that is
     * off keeps its deliveries for when it is on again. Run inside a transaction.
     */
    async claimDue(
      at: string,
      leaseMs: number,
      endpoints: number,
      perEndpoint: number,
    ): Promise<DeliveryRow[]> {
      const due = (q: Knex.QueryBuilder, alias: string) =>
        q
          .where(`${alias}.status`, 'pending')
          .where(`${alias}.next_attempt_at`, '<=', at)
          .where((w) => w.whereNull(`${alias}.locked_until`).orWhere(`${alias}.locked_until`, '<', at));
      const heads = await due(db('webhook_deliveries as d'), 'd')
        .whereRaw(
          "d.id = (SELECT MIN(x.id) FROM webhook_deliveries x WHERE x.endpoint_id = d.endpoint_id AND x.status = 'pending')",
        )
        .whereExists(
          db('webhook_endpoints as e')
            .whereRaw('e.id = d.endpoint_id')
            .where('e.active', true)
            .select(db.raw('1')),
        )
        .orderBy('d.next_attempt_at')
        .limit(endpoints)
        .select('d.endpoint_id');
      const claimed: DeliveryRow[] = [];
      for (const { endpoint_id } of heads) {
        const q = due(db('webhook_deliveries as d'), 'd')
          .where('d.endpoint_id', endpoint_id)
          .orderBy('d.id')
          .limit(perEndpoint)
          .select('d.*');
        if (isPostgres(db)) q.forUpdate().skipLocked();
        claimed.push(...(await q).map(deliveryFrom));
      }
      if (!claimed.length) return [];
      const until = new Date(Date.parse(at) + leaseMs).toISOString();
      for (let i = 0; i < claimed.length; i += 500) {
        await db('webhook_deliveries')
          .whereIn(
            'id',
            claimed.slice(i, i + 500).map((r) => r.id),
          )
          .update({ locked_until: until });
      }
      return claimed;
    },

    /** Records attempts: each delivered, failed for good, or pending again at its `next`. */
    async recordAttempts(
      results: ReadonlyArray<{
        delivery: DeliveryRow;
        attempt: AttemptRecord;
        outcome: { status: 'delivered' | 'failed' | 'pending'; next: string | null };
      }>,
    ): Promise<void> {
      const now = nowIso();
      for (const { delivery, attempt, outcome } of results) {
        await db('webhook_deliveries')
          .where({ id: delivery.id })
          .update({
            status: outcome.status,
            attempts: delivery.attempts + 1,
            attempt_log: JSON.stringify([...delivery.attempt_log, attempt]),
            next_attempt_at: outcome.next,
            locked_until: null,
            updated_at: now,
          });
      }
    },

    /** Gives claimed deliveries back unsent (they wait behind a failed one of their endpoint). */
    async release(ids: readonly number[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 500)
        await db('webhook_deliveries')
          .whereIn('id', ids.slice(i, i + 500))
          .update({ locked_until: null });
    },

    /** How many deliveries of each endpoint are pending, delivered and failed. */
    async deliveryCounts(endpointIds: readonly number[]) {
      const out = new Map<number, Record<string, number>>();
      if (!endpointIds.length) return out;
      const rows: Array<{ endpoint_id: number; status: string; n: number | string }> = await db(
        'webhook_deliveries',
      )
        .whereIn('endpoint_id', endpointIds)
        .groupBy('endpoint_id', 'status')
        .select('endpoint_id', 'status', db.raw('count(*) as n'));
      for (const r of rows) {
        const counts = out.get(Number(r.endpoint_id)) ?? {};
        counts[String(r.status)] = Number(r.n);
        out.set(Number(r.endpoint_id), counts);
      }
      return out;
    },

    /** An endpoint's deliveries, newest first, a page at a time. */
    async deliveries(institutionId: number, endpointId: number, page: number, perPage: number) {
      const base = () =>
        db('webhook_deliveries').where({ institution_id: institutionId, endpoint_id: endpointId });
      const [countRow, rows] = await Promise.all([
        base().count({ n: '*' }).first(),
        base()
          .orderBy('id', 'desc')
          .limit(perPage)
          .offset((page - 1) * perPage),
      ]);
      return { rows: rows.map(deliveryFrom), count: Number(countRow?.n ?? 0) };
    },

    async delivery(institutionId: number, endpointId: number, id: number): Promise<DeliveryRow | undefined> {
      const row = await db('webhook_deliveries')
        .where({ institution_id: institutionId, endpoint_id: endpointId, id })
        .first();
      return row ? deliveryFrom(row) : undefined;
    },

    /** Sends a delivery again, as soon as its turn comes: pending, due now, its history kept. */
    async redeliver(id: number): Promise<void> {
      const now = nowIso();
      await db('webhook_deliveries')
        .where({ id })
        .update({ status: 'pending', next_attempt_at: now, locked_until: null, updated_at: now });
    },
  };
}
