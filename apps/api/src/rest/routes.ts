// The NexHealth-style REST paths (SPEC 3-6). Each route maps the query string and body onto a core input
// schema, calls the same service as tRPC, and wraps the result in the envelope.
import {
  bookAppointmentInput,
  cancelAppointmentInput,
  createPatientInput,
  fromQueryString,
  getPatientInput,
  listAppointmentsInput,
  listLocationsInput,
  listProvidersInput,
  MAX_ID,
  ok,
  searchPatientsInput,
  updatePatientInput,
} from '@patients/core';
import { type Request, Router } from 'express';
import { badRequest, notFound } from '../errors';
import type { Services } from '../services';
import { handle, parseInput } from './envelope';

const createPatientQuery = fromQueryString(createPatientInput);
const searchQuery = fromQueryString(searchPatientsInput);
const getQuery = fromQueryString(getPatientInput);
const updateQuery = fromQueryString(updatePatientInput);
const bookQuery = fromQueryString(bookAppointmentInput);
const listApptQuery = fromQueryString(listAppointmentsInput);
const cancelQuery = fromQueryString(cancelAppointmentInput);
const locationsQuery = fromQueryString(listLocationsInput);
const providersQuery = fromQueryString(listProvidersInput);

/** A path id: anything that is not a whole number in range cannot name a record, so it is "not found". */
function pathId(req: Request, what: string): number {
  const raw = String(req.params.id ?? '');
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw notFound(what);
  return id;
}

/** The JSON body as an object; query parameters (subdomain, location_id) are laid over it. */
function bodyWithQuery(req: Request): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest(['The request body must be a JSON object']);
  return { ...body, ...(req.query as Record<string, unknown>) };
}

export function restRoutes(services: Services): Router {
  const r = Router();
  const caller = (req: Request) => services.auth.institutionOf(req.headers.authorization, new Date());
  const tenant = async (callerId: number, subdomain: string) =>
    (await services.auth.tenant(callerId, subdomain)).id;

  r.post(
    '/authenticates',
    handle(async (req) => ({
      body: ok('Authenticated', await services.auth.authenticate(req.headers.authorization, new Date())),
    })),
  );

  r.get(
    '/patients',
    handle(async (req) => {
      const who = await caller(req);
      const input = parseInput(searchQuery, req.query);
      const { patients, count } = await services.patients.search(await tenant(who, input.subdomain), input);
      return { body: ok(count ? 'Patients found' : 'No patients found', { patients }, count) };
    }),
  );

  r.post(
    '/patients',
    handle(async (req) => {
      const who = await caller(req);
      const input = parseInput(createPatientQuery, bodyWithQuery(req));
      const { user, created } = await services.patients.create(await tenant(who, input.subdomain), input);
      return created
        ? { status: 201, body: ok('Patient created', { user }) }
        : { status: 200, body: ok('Patient already exists', { user }) };
    }),
  );

  r.get(
    '/patients/:id',
    handle(async (req) => {
      const who = await caller(req);
      const input = parseInput(getQuery, { ...req.query, id: pathId(req, 'Patient') });
      return {
        body: ok('Patient found', await services.patients.get(await tenant(who, input.subdomain), input)),
      };
    }),
  );

  r.patch(
    '/patients/:id',
    handle(async (req) => {
      const who = await caller(req);
      const id = pathId(req, 'Patient');
      const input = parseInput(updateQuery, { ...bodyWithQuery(req), id });
      return {
        body: ok(
          'Patient updated',
          await services.patients.update(await tenant(who, input.subdomain), input),
        ),
      };
    }),
  );

  r.post(
    '/appointments',
    handle(async (req) => {
      const who = await caller(req);
      const input = parseInput(bookQuery, bodyWithQuery(req));
      const appt = await services.appointments.book(await tenant(who, input.subdomain), input);
      return { status: 201, body: ok('Appointment booked', { appt }) };
    }),
  );

  r.get(
    '/appointments',
    handle(async (req) => {
      const who = await caller(req);
      const input = parseInput(listApptQuery, req.query);
      const { appointments, count } = await services.appointments.list(
        await tenant(who, input.subdomain),
        input,
      );
      return { body: ok(count ? 'Appointments found' : 'No appointments found', { appointments }, count) };
    }),
  );

  r.patch(
    '/appointments/:id',
    handle(async (req) => {
      const who = await caller(req);
      const id = pathId(req, 'Appointment');
      const input = parseInput(cancelQuery, { ...bodyWithQuery(req), id });
      const appt = await services.appointments.cancel(await tenant(who, input.subdomain), input);
      return { body: ok('Appointment cancelled', { appt }) };
    }),
  );

  r.get(
    '/locations',
    handle(async (req) => {
      const who = await caller(req);
      const input = parseInput(locationsQuery, req.query);
      const data = await services.practice.locations(await tenant(who, input.subdomain));
      return { body: ok('Locations found', data, data.locations.length) };
    }),
  );

  r.get(
    '/providers',
    handle(async (req) => {
      const who = await caller(req);
      const input = parseInput(providersQuery, req.query);
      const data = await services.practice.providers(await tenant(who, input.subdomain), input.location_id);
      return { body: ok('Providers found', data, data.providers.length) };
    }),
  );

  return r;
}
