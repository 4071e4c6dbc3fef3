// Webhook endpoints and subscriptions, and the deliveries an integrator reads (SPEC 11). Events themselves are
// written by the changes (`emit`), in their own transactions; webhooks/worker.ts delivers them.
import { randomBytes } from 'node:crypto';
import {
  notFoundError,
  validationError,
  WEBHOOK_EVENTS,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEvent,
  type WebhookResourceType,
} from '@patients/core';
import type { Knex } from 'knex';
import { type DeliveryRow, type EndpointRow, webhooksRepo } from '../db/repositories/webhooks';
import { withoutInstitutionLock } from '../db/writes';
import type { TargetPolicy } from '../webhooks/targets';
import type { ServiceDeps } from './deps';

/** A Standard Webhooks secret: "whsec_" and 24 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function deliveryOut(d: DeliveryRow): WebhookDelivery {
  return {
    id: d.id,
    event: d.event,
    resource_type: d.resource_type,
    resource_id: d.resource_id,
    status: d.status,
    attempts: d.attempt_log,
    next_attempt_at: d.status === 'pending' ? d.next_attempt_at : null,
    created_at: d.created_at,
  };
}

/**
 * Writes an event's deliveries in the change's transaction `trx` (the outbox): one per active endpoint of the
 * institution subscribed to it, nothing when none is.
 */
export function emit(
  trx: Knex,
  institutionId: number,
  event: WebhookEvent,
  resourceType: WebhookResourceType,
  resourceIds: readonly number[],
  now?: () => Date,
): Promise<number> {
  return webhooksRepo(trx, now).enqueue(institutionId, event, resourceType, resourceIds);
}

export function webhookService(deps: ServiceDeps, targets: TargetPolicy) {
  const read = () => webhooksRepo(deps.db.read, deps.now);
  const write = <T>(work: (repo: ReturnType<typeof webhooksRepo>) => Promise<T>) =>
    withoutInstitutionLock(deps.db, (trx) => work(webhooksRepo(trx, deps.now)));

  async function checkTarget(url: string): Promise<void> {
    const refusal = await targets.refusal(url);
    if (refusal) throw validationError([refusal]);
  }

  async function present(rows: EndpointRow[]): Promise<WebhookEndpoint[]> {
    const subs = await read().subscriptions(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      target_url: r.target_url,
      active: r.active,
      subscriptions: subs
        .filter((s) => s.endpoint_id === r.id)
        .map((s) => ({ id: s.id, resource_type: s.resource_type, event: s.event, created_at: s.created_at })),
      created_at: r.created_at,
      updated_at: r.updated_at,
    }));
  }

  async function endpointOf(institutionId: number, id: number): Promise<EndpointRow> {
    const found = await read().endpoint(institutionId, id);
    if (!found) throw notFoundError('Webhook endpoint');
    return found;
  }

  return {
    async create(institutionId: number, input: { target_url: string; active: boolean }) {
      await checkTarget(input.target_url);
      const secret = newSecret();
      const row = await write((r) => r.createEndpoint(institutionId, input.target_url, secret, input.active));
      return { ...(await present([row]))[0]!, secret };
    },

    async list(institutionId: number) {
      return { webhook_endpoints: await present(await read().endpoints(institutionId)) };
    },

    async update(institutionId: number, input: { id: number; target_url?: string; active?: boolean }) {
      await endpointOf(institutionId, input.id);
      if (input.target_url !== undefined) await checkTarget(input.target_url);
      const fields = {
        ...(input.target_url !== undefined && { target_url: input.target_url }),
        ...(input.active !== undefined && { active: input.active }),
      };
      const row = await write((r) => r.updateEndpoint(institutionId, input.id, fields));
      if (!row) throw notFoundError('Webhook endpoint');
      return (await present([row]))[0]!;
    },

    async remove(institutionId: number, id: number) {
      if (!(await write((r) => r.deleteEndpoint(institutionId, id)))) throw notFoundError('Webhook endpoint');
      return { id, deleted: true as const };
    },

    async subscribe(
      institutionId: number,
      input: { id: number; resource_type: WebhookResourceType; event: WebhookEvent },
    ) {
      if (WEBHOOK_EVENTS[input.event] !== input.resource_type)
        throw validationError([`event ${input.event} is not an event of ${input.resource_type}`]);
      await endpointOf(institutionId, input.id);
      await write((r) => r.subscribe(institutionId, input.id, input.resource_type, input.event));
      return (await present([await endpointOf(institutionId, input.id)]))[0]!;
    },

    async deliveries(institutionId: number, input: { id: number; page: number; per_page: number }) {
      await endpointOf(institutionId, input.id);
      const { rows, count } = await read().deliveries(institutionId, input.id, input.page, input.per_page);
      return { deliveries: rows.map(deliveryOut), count };
    },

    async redeliver(institutionId: number, input: { id: number; delivery_id: number }) {
      await endpointOf(institutionId, input.id);
      const found = await read().delivery(institutionId, input.id, input.delivery_id);
      if (!found) throw notFoundError('Delivery');
      await write((r) => r.redeliver(found.id));
      return deliveryOut((await read().delivery(institutionId, input.id, input.delivery_id))!);
    },
  };
}
