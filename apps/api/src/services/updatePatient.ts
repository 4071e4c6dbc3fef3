// Edit a patient (SPEC 4.5): only before insertion; bio merges field by field; the merged record is
// validated as a whole and checked for duplicates like a create.
import {
  applyDemographicDefaults,
  type DemographicField,
  duplicateError,
  duplicateEvidenceOf,
  isEditable,
  isNewPatient,
  notEditableError,
  notFoundError,
  type Patient,
  patientEditInput,
  READ_ONLY_BIO_FIELDS,
  readOnlyBioProblems,
  type UpdatePatientInput,
  validationError,
} from '@patients/core';
import { withInstitutionLock } from '../db/connect';
import { institutionsRepo } from '../db/repositories/institutions';
import { type PatientRow, type PatientWrite, patientsRepo } from '../db/repositories/patients';
import type { ChangeAudit } from './audit';
import type { ServiceDeps } from './deps';
import { existingMatch, findExistingPatient } from './findExistingPatient';
import { presentPatient } from './presentPatient';
import { emit } from './webhooks';

/** The stored value each demographic field is kept in, and whether the edit touched it. */
function touched(edit: UpdatePatientInput['patient'], field: DemographicField): boolean {
  return field === 'email' ? 'email' in edit : Boolean(edit.bio && field in edit.bio);
}

const EDITABLE_FIELDS = Object.keys(patientEditInput.shape).filter(
  (key): key is Exclude<keyof typeof patientEditInput.shape, 'bio'> => key !== 'bio',
);

export async function updatePatient(
  deps: ServiceDeps,
  institutionId: number,
  input: UpdatePatientInput,
  audit?: ChangeAudit,
): Promise<Patient> {
  const { knex } = deps.db;
  const edit = input.patient;
  const settings = await institutionsRepo(knex).settings(institutionId);
  const connector = await deps.connectorFor(institutionId);

  const row = await withInstitutionLock(deps.db, institutionId, async (trx) => {
    const patients = patientsRepo(trx, deps.now);
    const current = await patients.byId(institutionId, input.id);
    if (!current) throw notFoundError('Patient');
    if (!isEditable(current)) throw notEditableError();

    const merged: PatientRow = { ...current };
    // The edit's own fields (the schema's, bio apart), then bio's field by field (SPEC 4.5).
    for (const key of EDITABLE_FIELDS) {
      if (key in edit) (merged as unknown as Record<string, unknown>)[key] = edit[key] ?? null;
    }
    const readOnly = readOnlyBioProblems(edit.bio, {
      new_patient: isNewPatient(current),
      non_patient: current.non_patient,
    });
    if (readOnly.length) throw validationError(readOnly);
    for (const [key, value] of Object.entries(edit.bio ?? {})) {
      if ((READ_ONLY_BIO_FIELDS as readonly string[]).includes(key)) continue;
      (merged as unknown as Record<string, unknown>)[key] = value ?? null;
    }

    const completed = applyDemographicDefaults(merged, settings.demographic_defaults);
    if (!completed.ok) throw validationError(completed.errors);
    // A field stays "defaulted" until someone gives it a real value; one emptied again takes the default.
    const stillDefaulted = current.demographics_defaulted.filter((f) => !touched(edit, f));
    const defaulted = [...new Set([...stillDefaulted, ...completed.defaulted])];
    Object.assign(merged, completed.demographics, { demographics_defaulted: defaulted });

    const existing = await findExistingPatient(
      trx,
      institutionId,
      connector,
      duplicateEvidenceOf(merged),
      current.id,
    );
    if (existing) throw duplicateError(existingMatch(existing, connector.dataSource));

    const {
      id: _id,
      institution_id: _i,
      created_at: _c,
      updated_at: _u,
      created_location_id: _l,
      ...write
    } = merged;
    const updated = (await patients.update(institutionId, current.id, write satisfies PatientWrite))!;
    await emit(trx, institutionId, 'patient_updated', 'Patient', [current.id], deps.now);
    await audit?.changed(trx, [current.id], 200);
    return updated;
  });
  return presentPatient(deps.db.read, institutionId, row, deps.now());
}
