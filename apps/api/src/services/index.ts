// The use cases, each bound to its dependencies: what REST routes and tRPC procedures call.

import type {
  BookAppointmentInput,
  CreatePatientInput,
  GetPatientInput,
  ListAppointmentsInput,
  SearchPatientsInput,
  UpdateAppointmentInput,
  UpdatePatientInput,
} from '@patients/core';
import { missingDemographics, notFoundError } from '@patients/core';
import { institutionsRepo } from '../db/repositories/institutions';
import { patientsRepo } from '../db/repositories/patients';
import { practiceRepo } from '../db/repositories/practice';
import { targetPolicy } from '../webhooks/targets';
import { bookAppointment, listAppointments, updateAppointment } from './appointments';
import type { AuditLog, ChangeAudit } from './audit';
import type { AuthService } from './auth';
import { createPatient } from './createPatient';
import type { ServiceDeps } from './deps';
import { idempotencyService } from './idempotency';
import { presentPatient } from './presentPatient';
import { searchPatients } from './searchPatients';
import { updatePatient } from './updatePatient';
import { webhookService } from './webhooks';

export function createServices(deps: ServiceDeps, auth: AuthService, audit: AuditLog) {
  // Use cases that only read run on the read connection: never queued behind a write (connect.ts).
  const reads: ServiceDeps = { ...deps, db: { ...deps.db, knex: deps.db.read } };
  const knex = deps.db.read;
  return {
    auth,
    audit,
    idempotency: idempotencyService(deps.db, deps.now),
    webhooks: webhookService(deps, deps.webhookTargets ?? targetPolicy([])),
    patients: {
      search: (iid: number, input: SearchPatientsInput) => searchPatients(reads, iid, input),
      /** The practice's required fields a create body lacks (SPEC 2: with the schema's problems). */
      async missingRequired(iid: number, body: unknown) {
        const settings = await institutionsRepo(knex).settings(iid);
        return missingDemographics(body, settings.demographic_defaults);
      },
      create: (iid: number, input: CreatePatientInput, audit?: ChangeAudit) =>
        createPatient(deps, iid, input, audit),
      update: (iid: number, input: UpdatePatientInput, audit?: ChangeAudit) =>
        updatePatient(deps, iid, input, audit),
      async get(iid: number, input: GetPatientInput) {
        const row = await patientsRepo(knex).byId(iid, input.id);
        if (!row) throw notFoundError('Patient');
        return presentPatient(knex, iid, row, deps.now());
      },
    },
    appointments: {
      book: (iid: number, input: BookAppointmentInput, audit?: ChangeAudit) =>
        bookAppointment(deps, iid, input, audit),
      list: (iid: number, input: ListAppointmentsInput) => listAppointments(reads, iid, input),
      update: (iid: number, input: UpdateAppointmentInput, audit?: ChangeAudit) =>
        updateAppointment(deps, iid, input, audit),
    },
    practice: {
      locations: async (iid: number) => ({ locations: await practiceRepo(knex).locations(iid) }),
      async providers(iid: number, locationId: number) {
        if (!(await practiceRepo(knex).location(iid, locationId))) throw notFoundError('Location');
        return { providers: await practiceRepo(knex).providersAt(iid, locationId) };
      },
    },
  };
}
export type Services = ReturnType<typeof createServices>;
