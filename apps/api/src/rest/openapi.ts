// The OpenAPI 3 document of the REST API, generated from the same zod schemas the routes validate with.
import {
  appointment,
  authenticateOutput,
  bookAppointmentInput,
  cancelAppointmentInput,
  createPatientInput,
  envelope,
  errorEnvelope,
  getPatientInput,
  listAppointmentsInput,
  listLocationsInput,
  listLocationsOutput,
  listProvidersInput,
  listProvidersOutput,
  patient,
  searchPatientsInput,
  updatePatientInput,
} from '@patients/core';
import { z } from 'zod';
import { createDocument } from 'zod-openapi';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const errors = {
  400: {
    description:
      'Invalid input, duplicate patient, or a rule refused it: `error` has one message per problem',
    ...json(errorEnvelope),
  },
  401: { description: 'Missing or bad credentials', ...json(errorEnvelope) },
  403: { description: "Unknown subdomain, or not the key's institution", ...json(errorEnvelope) },
  404: { description: 'No such record in this institution', ...json(errorEnvelope) },
};

const query = <T extends z.ZodObject>(schema: T, drop: string[] = []) =>
  schema.omit(Object.fromEntries(drop.map((k) => [k, true])) as never);
const body = <T extends z.ZodObject>(schema: T, drop: string[]) => ({
  required: true,
  ...json(schema.omit(Object.fromEntries(drop.map((k) => [k, true])) as never)),
});
const idPath = z.object({ id: z.number().int().min(1).meta({ description: 'record id' }) });

const DESCRIPTION = `NexHealth-compatible Patients API of the open-source **patients** service.

Every response has the envelope \`{ code, description, error, data, count? }\`. Authenticate with
\`POST /authenticates\` (header \`Authorization: <api_key>\`) and send \`Authorization: Bearer <token>\` on every
other request; a raw API key is also accepted as bearer. Every request names its institution with \`subdomain\`.

Choices where the NexHealth contract is silent: unknown fields in a body are refused with a message naming them;
\`per_page\` is at most 1000; a name search returns patients whose score passes the matcher's threshold, best first,
each with \`match.reasons\`; the same operations are available as tRPC procedures under \`/trpc\`.`;

export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'patients API',
      version: '0.1.0',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0' },
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/authenticates': {
        post: {
          summary: 'Trade an API key for a one-hour bearer token',
          security: [],
          responses: {
            200: { description: 'Token', ...json(envelope(authenticateOutput)) },
            401: errors[401],
          },
        },
      },
      '/patients': {
        get: {
          summary: 'Search patients (fuzzy name, email, phone, date of birth, foreign id; OR across them)',
          requestParams: { query: query(searchPatientsInput) },
          responses: {
            200: {
              description: 'Patients found',
              ...json(envelope(z.object({ patients: z.array(patient) }))),
            },
            ...errors,
          },
        },
        post: {
          summary: 'Create a patient (refused when the patient already exists)',
          requestParams: { query: createPatientInput.pick({ subdomain: true, location_id: true }) },
          requestBody: body(createPatientInput, ['subdomain', 'location_id']),
          responses: {
            201: { description: 'Patient created', ...json(envelope(z.object({ user: patient }))) },
            200: {
              description: 'Existing patient (return_existing_if_match)',
              ...json(envelope(z.object({ user: patient }))),
            },
            ...errors,
          },
        },
      },
      '/patients/{id}': {
        get: {
          summary: 'Read a patient',
          requestParams: { path: idPath, query: query(getPatientInput, ['id']) },
          responses: { 200: { description: 'The patient', ...json(envelope(patient)) }, ...errors },
        },
        patch: {
          summary: 'Edit a patient not yet inserted into the health record system',
          requestParams: { path: idPath, query: query(updatePatientInput, ['id', 'patient']) },
          requestBody: body(updatePatientInput, ['id', 'subdomain']),
          responses: { 200: { description: 'The updated patient', ...json(envelope(patient)) }, ...errors },
        },
      },
      '/appointments': {
        get: {
          summary: 'List appointments starting in a window',
          requestParams: { query: query(listAppointmentsInput) },
          responses: {
            200: {
              description: 'Appointments',
              ...json(envelope(z.object({ appointments: z.array(appointment) }))),
            },
            ...errors,
          },
        },
        post: {
          summary:
            "Book an appointment (the patient's first booking inserts them into the health record system)",
          requestParams: { query: query(bookAppointmentInput, ['appt']) },
          requestBody: body(bookAppointmentInput, ['subdomain', 'location_id']),
          responses: {
            201: { description: 'Booked', ...json(envelope(z.object({ appt: appointment }))) },
            ...errors,
            502: { description: 'The health record system could not be reached', ...json(errorEnvelope) },
          },
        },
      },
      '/appointments/{id}': {
        patch: {
          summary: 'Cancel an appointment',
          requestParams: { path: idPath, query: query(cancelAppointmentInput, ['id', 'appt']) },
          requestBody: body(cancelAppointmentInput, ['id', 'subdomain']),
          responses: {
            200: { description: 'Cancelled', ...json(envelope(z.object({ appt: appointment }))) },
            ...errors,
          },
        },
      },
      '/locations': {
        get: {
          summary: "The institution's locations",
          requestParams: { query: listLocationsInput },
          responses: { 200: { description: 'Locations', ...json(envelope(listLocationsOutput)) }, ...errors },
        },
      },
      '/providers': {
        get: {
          summary: 'Providers working at a location',
          requestParams: { query: listProvidersInput },
          responses: { 200: { description: 'Providers', ...json(envelope(listProvidersOutput)) }, ...errors },
        },
      },
    },
  });
}
