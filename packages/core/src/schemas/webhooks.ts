// Webhooks (SPEC 11): endpoints, subscriptions, deliveries, as the API takes and gives them.
import { z } from 'zod';
import { id, isoDateTime, subdomain } from './common';

/** Each event and the resource it is about. */
export const WEBHOOK_EVENTS = {
  patient_created: 'Patient',
  patient_updated: 'Patient',
  patient_inserted: 'Patient',
  appointment_created: 'Appointment',
  appointment_cancelled: 'Appointment',
} as const;
export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export type WebhookResourceType = (typeof WEBHOOK_EVENTS)[WebhookEvent];

export const webhookEvent = z.enum(Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]]);
export const webhookResourceType = z.enum(['Patient', 'Appointment']);

/** A target URL as given: absolute http(s), at most 2,000 characters; where it may point is the API's check. */
export const targetUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), {
    error: 'must be an absolute http(s) URL',
  });

export const webhookSubscription = z.object({
  id,
  resource_type: webhookResourceType,
  event: webhookEvent,
  created_at: isoDateTime,
});

export const webhookEndpoint = z
  .object({
    id,
    target_url: z.string(),
    active: z.boolean(),
    subscriptions: z.array(webhookSubscription),
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;

export const createWebhookEndpointInput = z.object({
  subdomain,
  target_url: targetUrl,
  active: z.boolean().default(true),
});
export const createWebhookEndpointOutput = webhookEndpoint.extend({
  secret: z.string().describe('the signing secret (Standard Webhooks, "whsec_..."): shown only this once'),
});

export const listWebhookEndpointsInput = z.object({ subdomain });
export const listWebhookEndpointsOutput = z.object({ webhook_endpoints: z.array(webhookEndpoint) });

export const updateWebhookEndpointInput = z.object({
  subdomain,
  id,
  target_url: targetUrl.optional(),
  active: z.boolean().optional(),
});

export const deleteWebhookEndpointInput = z.object({ subdomain, id });
export const deleteWebhookEndpointOutput = z.object({ id, deleted: z.literal(true) });

/** Whether `event` belongs to `resource_type` is checked by the service (a refined object cannot be picked). */
export const subscribeWebhookInput = z.object({
  subdomain,
  id,
  resource_type: webhookResourceType,
  event: webhookEvent,
});

export const webhookAttempt = z.object({
  at: isoDateTime,
  status: z.number().int().nullable().describe('the HTTP status of the answer, or null when there was none'),
  error: z.string().nullable().describe('why there was no answer (refused, timed out ...)'),
  response: z.string().nullable().describe("the answer's first 200 characters"),
});

export const webhookDelivery = z.object({
  id,
  event: webhookEvent,
  resource_type: webhookResourceType,
  resource_id: id,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(webhookAttempt),
  next_attempt_at: isoDateTime.nullable(),
  created_at: isoDateTime,
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const listWebhookDeliveriesInput = z.object({
  subdomain,
  id,
  page: z.number().int().min(1).max(100_000).default(1),
  per_page: z.number().int().min(1).max(100).default(20),
});
export const listWebhookDeliveriesOutput = z.object({
  deliveries: z.array(webhookDelivery),
  count: z.number().int().min(0),
});

export const redeliverWebhookInput = z.object({ subdomain, id, delivery_id: id });
