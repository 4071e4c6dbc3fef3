// Every operation of the API, declared once. The REST routes (rest/routes.ts), the tRPC router
// (trpc/router.ts) and the OpenAPI document (rest/openapi.ts) are all made from this table, so the three
// faces cannot drift apart. Adding an operation is one entry here plus its service function.
//
// An entry names: the tRPC procedure (`group.name`) and whether it reads (query) or changes (mutation); the
// REST method and path; the input and output schemas from @patients/core; what it calls; its summary; the
// error codes it can answer with; and how its answer fills the REST envelope. Operations acting within an
// institution (all but authenticate) get `ctx.institutionId` from the tenancy middleware: never a
// subdomain to trust.
import {
  appointment,
  authenticateInput,
  authenticateOutput,
  bookAppointmentInput,
  bookAppointmentOutput,
  createPatientInput,
  createPatientOutput,
  createWebhookEndpointInput,
  createWebhookEndpointOutput,
  deleteWebhookEndpointInput,
  deleteWebhookEndpointOutput,
  type ErrorCode,
  getPatientInput,
  idempotencyKey,
  issueMessages,
  listAppointmentsInput,
  listAppointmentsOutput,
  listLocationsInput,
  listLocationsOutput,
  listProvidersInput,
  listProvidersOutput,
  listWebhookDeliveriesInput,
  listWebhookDeliveriesOutput,
  listWebhookEndpointsInput,
  listWebhookEndpointsOutput,
  patient,
  redeliverWebhookInput,
  searchPatientsInput,
  searchPatientsOutput,
  subscribeWebhookInput,
  updateAppointmentInput,
  updatePatientInput,
  updateWebhookEndpointInput,
  validationError,
  webhookDelivery,
  webhookEndpoint,
} from '@patients/core';
import { z } from 'zod';
import type { Services } from './services';
import type { AuditSpec, ChangeAudit } from './services/audit';
import { fingerprintOf } from './services/idempotency';
import { type ProcedureAudit, publicProcedure, type TenantInput, tenantProcedure } from './trpc/trpc';

export interface TenantContext {
  services: Services;
  institutionId: number;
  now: () => Date;
  /** The call's audit, for an audited change to record itself in its own transaction (services/audit.ts). */
  audit?: ChangeAudit;
  /** The API key the credentials come from (a token's key): idempotency keys are per API key. */
  apiKeyId: number;
  /** The Idempotency-Key header as sent, and whether the answer is an earlier one given again (SPEC 4.3). */
  idempotency?: IdempotencyCall;
}

export interface IdempotencyCall {
  header: string | undefined;
  replayed: boolean;
}

export interface PublicContext {
  services: Services;
  authorization: string | undefined;
  now: () => Date;
}

/** How an operation's result fills the REST envelope (SPEC 2). */
export interface RestAnswer<R> {
  /** Success statuses and what each means, for the OpenAPI document; the first is the usual one. */
  responses: Record<number, string>;
  /** The status of this result, for an operation with more than one (default: the one in `responses`). */
  status?: (result: R) => number;
  description: (result: R) => string;
  /** `data` of the envelope (default: the result itself), and its schema for the document. */
  data?: (result: R) => unknown;
  dataSchema?: z.ZodType;
  /** `count` of the envelope, on list endpoints. */
  count?: (result: R) => number;
}

/** A patient id the request named, if it is one. */
function idIn(value: unknown): number[] {
  const id = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? [id] : [];
}

interface Common<I extends z.ZodObject, O extends z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style; a `:id` segment is the input's `id`, and anything but a whole number in range is 404. */
  path: string;
  /** For a path with `:id`: what the id names, for the 404 message ("Patient not found"). */
  pathIdNames?: string;
  /** The same for the path's other ids (`:delivery_id`: "Delivery"). */
  pathNouns?: Record<string, string>;
  summary: string;
  input: I;
  output: O;
  /** The refusals (core's error codes) it may answer with, besides unauthorized and validation. */
  errors: readonly ErrorCode[];
  rest: RestAnswer<z.input<O>>;
  audit?: AuditSpec<z.input<O>>;
  /** Takes an Idempotency-Key (SPEC 4.3): set by `idempotent`. */
  idempotent?: boolean;
  /**
   * Problems only the institution can tell (its required fields), added to the schema's when the input fails
   * it, so that one answer names every problem (SPEC 2).
   */
  moreProblems?: (
    services: Services,
    institutionId: number,
    raw: Record<string, unknown>,
  ) => Promise<string[]>;
}

interface TenantSpec<I extends z.ZodObject & TenantInput, O extends z.ZodType> extends Common<I, O> {
  run: (ctx: TenantContext, input: z.output<I>) => Promise<z.input<O>>;
}

interface PublicSpec<I extends z.ZodObject, O extends z.ZodType> extends Common<I, O> {
  run: (ctx: PublicContext, input: z.output<I>) => Promise<z.input<O>>;
}

/** The success status of a result on REST: the entry's own rule, or its one status. */
export function successStatus<R>(answer: RestAnswer<R>, result: R): number {
  return answer.status?.(result) ?? Number(Object.keys(answer.responses)[0]);
}

/** What the tRPC face needs to audit an entry's calls as REST does. */
function procedureAudit<R>(spec: { audit?: AuditSpec<R>; rest: RestAnswer<R> }): ProcedureAudit | undefined {
  const { audit, rest } = spec;
  if (!audit) return undefined;
  return { ...(audit as AuditSpec<unknown>), status: (r) => successStatus(rest, r as R) };
}

/** A read within the caller's institution. */
// The casts below only help TypeScript through tRPC's generic builder; a procedure's types come from
// `.input()` and `.output()`, which are the entry's own schemas.

function tenantQuery<I extends z.ZodObject & TenantInput, O extends z.ZodType>(spec: TenantSpec<I, O>) {
  return {
    ...spec,
    tenant: true as const,
    procedure: tenantProcedure(spec.input, procedureAudit(spec), spec.moreProblems)
      .output(spec.output)
      .query(({ ctx, input }) => spec.run(ctx, input as z.output<I>) as never),
  };
}

/**
 * A change made at most once per Idempotency-Key (SPEC 4.3): the key comes from the header or, for a client
 * that cannot set one, the input's `idempotency_key`; without either, the change simply runs.
 */
function idempotent<I extends z.ZodObject & TenantInput, O extends z.ZodType>(
  spec: TenantSpec<I, O>,
): TenantSpec<I, O> {
  const operation = `${spec.method.toUpperCase()} ${spec.path}`;
  return {
    ...spec,
    idempotent: true,
    async run(ctx, input) {
      const fromInput = (input as { idempotency_key?: string }).idempotency_key;
      const header = ctx.idempotency?.header;
      const parsed = header === undefined ? undefined : idempotencyKey.safeParse(header);
      if (parsed && !parsed.success) throw validationError(issueMessages(parsed.error));
      const fromHeader = parsed?.data;
      if (fromInput !== undefined && fromHeader !== undefined && fromInput !== fromHeader)
        throw validationError(['idempotency_key and the Idempotency-Key header differ']);
      const key = fromInput ?? fromHeader;
      if (key === undefined) return spec.run(ctx, input);
      const call = ctx.idempotency ?? { header: undefined, replayed: false };
      try {
        const { result, replayed } = await ctx.services.idempotency.once(
          ctx.apiKeyId,
          key,
          fingerprintOf(operation, input as Record<string, unknown>),
          () => spec.run(ctx, input),
          (r) => successStatus(spec.rest, r),
        );
        call.replayed = replayed;
        return result;
      } catch (err) {
        call.replayed = (err as { replayed?: boolean }).replayed === true;
        throw err;
      }
    },
  };
}

/** A change within the caller's institution. */
function tenantMutation<I extends z.ZodObject & TenantInput, O extends z.ZodType>(spec: TenantSpec<I, O>) {
  return {
    ...spec,
    tenant: true as const,
    procedure: tenantProcedure(spec.input, procedureAudit(spec), spec.moreProblems)
      .output(spec.output)
      .mutation(({ ctx, input }) => spec.run(ctx, input as z.output<I>) as never),
  };
}

/** A change that needs no institution (authenticate: the key names it). */
function publicMutation<I extends z.ZodObject, O extends z.ZodType>(spec: PublicSpec<I, O>) {
  return {
    ...spec,
    tenant: false as const,
    procedure: publicProcedure
      .input(spec.input)
      .output(spec.output)
      .mutation(({ ctx, input }) => spec.run(ctx, input as z.output<I>) as never),
  };
}

const listOf = <K extends string>(key: K, item: z.ZodType) => z.object({ [key]: z.array(item) });

export const operations = {
  auth: {
    authenticate: publicMutation({
      method: 'post',
      path: '/authenticates',
      summary: 'Trade an API key for a one-hour bearer token',
      input: authenticateInput,
      output: authenticateOutput,
      errors: [],
      run: (ctx) => ctx.services.auth.authenticate(ctx.authorization, ctx.now()),
      rest: { responses: { 200: 'Token' }, description: () => 'Authenticated' },
    }),
  },
  patients: {
    search: tenantQuery({
      method: 'get',
      path: '/patients',
      summary: 'Search patients (fuzzy name, email, phone, date of birth, foreign id; OR across them)',
      input: searchPatientsInput,
      output: searchPatientsOutput,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.patients.search(ctx.institutionId, input),
      audit: { action: 'patient.search', patientIds: (r) => r.patients.map((p) => p.id) },
      rest: {
        responses: { 200: 'Patients found' },
        description: (r) => (r.count ? 'Patients found' : 'No patients found'),
        data: (r) => ({ patients: r.patients }),
        dataSchema: listOf('patients', patient),
        count: (r) => r.count,
      },
    }),
    create: tenantMutation(
      idempotent({
        method: 'post',
        path: '/patients',
        summary: 'Create a patient (refused when the patient already exists)',
        input: createPatientInput,
        output: createPatientOutput,
        errors: ['forbidden', 'not_found', 'duplicate', 'in_progress', 'idempotency_mismatch'],
        run: (ctx, input) => ctx.services.patients.create(ctx.institutionId, input, ctx.audit),
        moreProblems: (services, iid, raw) => services.patients.missingRequired(iid, raw.patient),
        audit: { action: 'patient.create', patientIds: (r) => [r.user.id] },
        rest: {
          responses: { 201: 'Patient created', 200: 'Existing patient (return_existing_if_match)' },
          status: (r) => (r.created ? 201 : 200),
          description: (r) => (r.created ? 'Patient created' : 'Patient already exists'),
          data: (r) => ({ user: r.user }),
          dataSchema: z.object({ user: patient }),
        },
      }),
    ),
    get: tenantQuery({
      method: 'get',
      path: '/patients/:id',
      pathIdNames: 'Patient',
      summary: 'Read a patient',
      input: getPatientInput,
      output: patient,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.patients.get(ctx.institutionId, input),
      audit: { action: 'patient.read', patientIds: (p) => [p.id], named: (raw) => idIn(raw.id) },
      rest: { responses: { 200: 'Patient found' }, description: () => 'Patient found' },
    }),
    update: tenantMutation({
      method: 'patch',
      path: '/patients/:id',
      pathIdNames: 'Patient',
      summary: 'Edit a patient not yet inserted into the health record system',
      input: updatePatientInput,
      output: patient,
      errors: ['forbidden', 'not_found', 'duplicate', 'not_editable'],
      run: (ctx, input) => ctx.services.patients.update(ctx.institutionId, input, ctx.audit),
      audit: { action: 'patient.update', patientIds: (p) => [p.id], named: (raw) => idIn(raw.id) },
      rest: { responses: { 200: 'Patient updated' }, description: () => 'Patient updated' },
    }),
  },
  appointments: {
    book: tenantMutation(
      idempotent({
        method: 'post',
        path: '/appointments',
        summary:
          "Book an appointment (the patient's first booking inserts them into the health record system)",
        input: bookAppointmentInput,
        output: bookAppointmentOutput,
        errors: [
          'forbidden',
          'not_found',
          'conflict',
          'hrs_refused',
          'hrs_unreachable',
          'in_progress',
          'idempotency_mismatch',
        ],
        run: async (ctx, input) => ({
          appt: await ctx.services.appointments.book(ctx.institutionId, input, ctx.audit),
        }),
        audit: {
          action: 'appointment.book',
          patientIds: (r) => [r.appt.patient_id],
          named: (raw) => idIn((raw.appt as { patient_id?: unknown } | undefined)?.patient_id),
        },
        rest: { responses: { 201: 'Appointment booked' }, description: () => 'Appointment booked' },
      }),
    ),
    list: tenantQuery({
      method: 'get',
      path: '/appointments',
      summary: 'List appointments starting in a window',
      input: listAppointmentsInput,
      output: listAppointmentsOutput,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.appointments.list(ctx.institutionId, input),
      audit: { action: 'appointment.list', patientIds: (r) => r.appointments.map((a) => a.patient_id) },
      rest: {
        responses: { 200: 'Appointments found' },
        description: (r) => (r.count ? 'Appointments found' : 'No appointments found'),
        data: (r) => ({ appointments: r.appointments }),
        dataSchema: listOf('appointments', appointment),
        count: (r) => r.count,
      },
    }),
    cancel: tenantMutation({
      method: 'patch',
      path: '/appointments/:id',
      pathIdNames: 'Appointment',
      // SPEC 8 names the procedure appointments.cancel; the PATCH it answers also confirms (SPEC 5).
      summary: 'Cancel or confirm an appointment (in the health record system too, once it is there)',
      input: updateAppointmentInput,
      output: appointment,
      errors: ['forbidden', 'not_found', 'hrs_refused', 'hrs_unreachable'],
      run: (ctx, input) => ctx.services.appointments.update(ctx.institutionId, input, ctx.audit),
      audit: {
        action: (raw) =>
          (raw.appt as { cancelled?: unknown } | undefined)?.cancelled === true
            ? 'appointment.cancel'
            : 'appointment.confirm',
        patientIds: (a) => [a.patient_id],
      },
      rest: {
        responses: { 200: 'Appointment cancelled or confirmed' },
        description: (a) => (a.cancelled ? 'Appointment cancelled' : 'Appointment confirmed'),
        data: (appt) => ({ appt }),
        dataSchema: z.object({ appt: appointment }),
      },
    }),
  },
  webhooks: {
    createEndpoint: tenantMutation({
      method: 'post',
      path: '/webhook_endpoints',
      summary: 'Register a webhook endpoint (its signing secret is in this answer only)',
      input: createWebhookEndpointInput,
      output: createWebhookEndpointOutput,
      errors: ['forbidden'],
      run: (ctx, input) => ctx.services.webhooks.create(ctx.institutionId, input),
      rest: { responses: { 201: 'Webhook endpoint created' }, description: () => 'Webhook endpoint created' },
    }),
    listEndpoints: tenantQuery({
      method: 'get',
      path: '/webhook_endpoints',
      summary: "The institution's webhook endpoints and their subscriptions (no secrets)",
      input: listWebhookEndpointsInput,
      output: listWebhookEndpointsOutput,
      errors: ['forbidden'],
      run: (ctx) => ctx.services.webhooks.list(ctx.institutionId),
      rest: {
        responses: { 200: 'Webhook endpoints found' },
        description: () => 'Webhook endpoints found',
        count: (r) => r.webhook_endpoints.length,
      },
    }),
    updateEndpoint: tenantMutation({
      method: 'patch',
      path: '/webhook_endpoints/:id',
      pathIdNames: 'Webhook endpoint',
      summary: "Change a webhook endpoint's target or turn it off and on",
      input: updateWebhookEndpointInput,
      output: webhookEndpoint,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.webhooks.update(ctx.institutionId, input),
      rest: { responses: { 200: 'Webhook endpoint updated' }, description: () => 'Webhook endpoint updated' },
    }),
    deleteEndpoint: tenantMutation({
      method: 'delete',
      path: '/webhook_endpoints/:id',
      pathIdNames: 'Webhook endpoint',
      summary: 'Remove a webhook endpoint, its subscriptions and its deliveries',
      input: deleteWebhookEndpointInput,
      output: deleteWebhookEndpointOutput,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.webhooks.remove(ctx.institutionId, input.id),
      rest: { responses: { 200: 'Webhook endpoint removed' }, description: () => 'Webhook endpoint removed' },
    }),
    subscribe: tenantMutation({
      method: 'post',
      path: '/webhook_endpoints/:id/webhook_subscriptions',
      pathIdNames: 'Webhook endpoint',
      summary: 'Subscribe a webhook endpoint to an event',
      input: subscribeWebhookInput,
      output: webhookEndpoint,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.webhooks.subscribe(ctx.institutionId, input),
      rest: { responses: { 201: 'Subscribed' }, description: () => 'Subscribed' },
    }),
    deliveries: tenantQuery({
      method: 'get',
      path: '/webhook_endpoints/:id/deliveries',
      pathIdNames: 'Webhook endpoint',
      summary: "A webhook endpoint's deliveries, newest first, each with every attempt and why it failed",
      input: listWebhookDeliveriesInput,
      output: listWebhookDeliveriesOutput,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.webhooks.deliveries(ctx.institutionId, input),
      rest: {
        responses: { 200: 'Deliveries found' },
        description: (r) => (r.count ? 'Deliveries found' : 'No deliveries'),
        data: (r) => ({ deliveries: r.deliveries }),
        dataSchema: z.object({ deliveries: listWebhookDeliveriesOutput.shape.deliveries }),
        count: (r) => r.count,
      },
    }),
    redeliver: tenantMutation({
      method: 'post',
      path: '/webhook_endpoints/:id/deliveries/:delivery_id/redeliver',
      pathIdNames: 'Webhook endpoint',
      pathNouns: { delivery_id: 'Delivery' },
      summary: 'Send a delivery again (same id, so a receiver that has it can tell)',
      input: redeliverWebhookInput,
      output: webhookDelivery,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.webhooks.redeliver(ctx.institutionId, input),
      rest: { responses: { 200: 'Delivery queued again' }, description: () => 'Delivery queued again' },
    }),
  },
  locations: {
    list: tenantQuery({
      method: 'get',
      path: '/locations',
      summary: "The institution's locations",
      input: listLocationsInput,
      output: listLocationsOutput,
      errors: ['forbidden'],
      run: (ctx) => ctx.services.practice.locations(ctx.institutionId),
      rest: {
        responses: { 200: 'Locations found' },
        description: () => 'Locations found',
        count: (r) => r.locations.length,
      },
    }),
  },
  providers: {
    list: tenantQuery({
      method: 'get',
      path: '/providers',
      summary: 'Providers working at a location',
      input: listProvidersInput,
      output: listProvidersOutput,
      errors: ['forbidden', 'not_found'],
      run: (ctx, input) => ctx.services.practice.providers(ctx.institutionId, input.location_id),
      rest: {
        responses: { 200: 'Providers found' },
        description: () => 'Providers found',
        count: (r) => r.providers.length,
      },
    }),
  },
};

export type Operations = typeof operations;

/** Every operation with its tRPC name (`patients.search`), in the table's order. */
export function operationList(): Array<{ name: string; op: OperationEntry }> {
  return Object.entries(operations).flatMap(([group, ops]) =>
    Object.entries(ops).map(([name, op]) => ({ name: `${group}.${name}`, op: op as OperationEntry })),
  );
}

/** What the REST and OpenAPI generators need of an entry, whatever its schemas. */
export interface OperationEntry {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  pathIdNames?: string;
  pathNouns?: Record<string, string>;
  summary: string;
  input: z.ZodObject;
  output: z.ZodType;
  errors: readonly ErrorCode[];
  tenant: boolean;
  rest: RestAnswer<unknown>;
  audit?: AuditSpec<unknown>;
  idempotent?: boolean;
  moreProblems?: (
    services: Services,
    institutionId: number,
    raw: Record<string, unknown>,
  ) => Promise<string[]>;
  run: (ctx: never, input: never) => Promise<unknown>;
}

/** The ids in an operation's path (`:id`, `:delivery_id`), each with what it names for a 404. */
export function pathParams(op: Pick<OperationEntry, 'path' | 'pathIdNames' | 'pathNouns'>) {
  return [...op.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name: name!,
    noun: (name === 'id' ? op.pathIdNames : op.pathNouns?.[name!]) ?? 'Record',
  }));
}

/** Query parameters a request with a body still takes in its query string (SPEC 3-5). */
const QUERY_IN_BODY_REQUESTS = ['subdomain', 'location_id'];

/**
 * The query parameters an operation's REST route knows (SPEC 2: any other is a 400 naming it): every input
 * field of a GET but the path's id; subdomain and location_id of a request with a body.
 */
export function queryParameters(op: OperationEntry): string[] {
  const inPath = new Set(pathParams(op).map((p) => p.name));
  const fields = Object.keys(op.input.shape).filter((k) => !inPath.has(k));
  return op.method === 'get' ? fields : fields.filter((k) => QUERY_IN_BODY_REQUESTS.includes(k));
}
