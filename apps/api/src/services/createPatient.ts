// Create a patient (SPEC 4.3): validate, complete from practice defaults, refuse duplicates, insert.
import {
  applyDemographicDefaults,
  bioDetails,
  type CreatePatientInput,
  type CreatePatientOutput,
  duplicateError,
  duplicateEvidenceOf,
  notFoundError,
  readOnlyBioProblems,
  validationError,
} from '@patients/core';
import { withBirthDateLocks } from '../db/connect';
import { institutionsRepo } from '../db/repositories/institutions';
import { patientsRepo } from '../db/repositories/patients';
import { practiceRepo } from '../db/repositories/practice';
import type { ChangeAudit } from './audit';
import type { ServiceDeps } from './deps';
import { existingMatch, findExistingPatient } from './findExistingPatient';
import { presentNewPatient, presentPatient } from './presentPatient';
import { emit } from './webhooks';

export async function createPatient(
  deps: ServiceDeps,
  institutionId: number,
  input: CreatePatientInput,
  audit?: ChangeAudit,
): Promise<CreatePatientOutput> {
  // Reads before and after the write go to the read connection; the write's own reads are in its transaction.
  const knex = deps.db.read;
  const practice = practiceRepo(knex);
  if (!(await practice.location(institutionId, input.location_id))) throw notFoundError('Location');
  if (input.provider) {
    const provider = await practice.provider(institutionId, input.provider.provider_id);
    if (!provider) throw notFoundError('Provider');
    if (!provider.location_ids.includes(input.location_id)) {
      throw validationError(['provider.provider_id does not work at this location']);
    }
  }

  const { patient: p } = input;
  const settings = await institutionsRepo(knex).settings(institutionId);
  const completed = applyDemographicDefaults(
    {
      email: p.email,
      phone_number: p.bio.phone_number,
      date_of_birth: p.bio.date_of_birth,
      gender: p.bio.gender,
    },
    settings.demographic_defaults,
  );
  // A created patient is new and a patient (SPEC 4.1): the read-only flags may say so, nothing else.
  const readOnly = readOnlyBioProblems(p.bio, { new_patient: true, non_patient: false });
  if (!completed.ok || readOnly.length)
    throw validationError([...(completed.ok ? [] : completed.errors), ...readOnly]);
  const { demographics, defaulted } = completed;

  const fields = {
    first_name: p.first_name,
    last_name: p.last_name,
    middle_name: p.middle_name ?? null,
    preferred_name: p.preferred_name ?? null,
    ...demographics,
    ...bioDetails(p.bio),
    provider_id: input.provider?.provider_id ?? null,
    demographics_defaulted: defaulted,
  };
  const connector = await deps.connectorFor(institutionId);

  // Only a patient born the same day can be a duplicate (SPEC 4.3): creates of other birth dates need not wait.
  const outcome = await withBirthDateLocks(deps.db, institutionId, [fields.date_of_birth], async (trx) => {
    const patients = patientsRepo(trx, deps.now);
    const existing = await findExistingPatient(trx, institutionId, connector, duplicateEvidenceOf(fields));
    if (existing) {
      if (!input.return_existing_if_match)
        throw duplicateError(existingMatch(existing, connector.dataSource));
      if ('local' in existing) {
        await audit?.changed(trx, [existing.local.id], 200);
        return { row: existing.local, created: false };
      }
      // Known only to the health record system so far: bring it in, linked, rather than making a second one.
      const { hrs } = existing;
      const row = await patients.insert(institutionId, input.location_id, {
        first_name: hrs.first_name,
        last_name: hrs.last_name,
        middle_name: hrs.middle_name,
        preferred_name: hrs.preferred_name,
        email: hrs.email,
        phone_number: hrs.phone_number,
        date_of_birth: hrs.date_of_birth,
        gender: hrs.gender,
        inactive: hrs.inactive,
        non_patient: hrs.non_patient,
        foreign_id: hrs.foreign_id,
        foreign_id_type: connector.dataSource,
        last_sync_time: deps.now().toISOString(),
      });
      await audit?.changed(trx, [row.id], 200);
      return { row, created: false };
    }
    const row = await patients.insert(institutionId, input.location_id, fields);
    await emit(trx, institutionId, 'patient_created', 'Patient', [row.id], deps.now);
    await audit?.changed(trx, [row.id], 201);
    return { row, created: true };
  });

  return {
    user: outcome.created
      ? presentNewPatient(outcome.row, input.location_id)
      : await presentPatient(knex, institutionId, outcome.row, deps.now()),
    created: outcome.created,
  };
}
