// The duplicate check of SPEC 4.3, against this service's patients and, where the connector answers at
// once, the health record system itself. Runs inside the caller's institution-locked transaction.
import { type DuplicateEvidence, duplicateEvidenceOf, findDuplicates } from '@patients/core';
import type { Knex } from 'knex';
import type { HealthRecordConnector, HrsPatient } from '../connectors/connector';
import { type PatientRow, patientsRepo } from '../db/repositories/patients';

export type ExistingPatient = { local: PatientRow } | { hrs: HrsPatient };

export async function findExistingPatient(
  trx: Knex.Transaction,
  institutionId: number,
  connector: HealthRecordConnector,
  candidate: DuplicateEvidence,
  excludePatientId?: number,
): Promise<ExistingPatient | undefined> {
  // A defaulted date of birth is no evidence, and the rule needs the same date of birth: nothing can match.
  if (!candidate.date_of_birth || candidate.demographics_defaulted.includes('date_of_birth'))
    return undefined;
  const patients = patientsRepo(trx);
  const sameBirthDate = (await patients.evidenceBornOn(institutionId, candidate.date_of_birth)).filter(
    (p) => p.id !== excludePatientId,
  );
  const [local] = findDuplicates(
    candidate,
    sameBirthDate.map((row) => ({ ...duplicateEvidenceOf(row), id: row.id })),
  );
  if (local) {
    const row = await patients.byId(institutionId, local.id);
    if (row) return { local: row };
  }

  if (!connector.answersAtOnce) return undefined;
  const inSystem = await connector.findByBirthDate({ trx, institutionId }, candidate);
  const [hrs] = findDuplicates(
    candidate,
    inSystem.map((p) => ({ ...duplicateEvidenceOf(p), p })),
  );
  if (!hrs) return undefined;
  // The system's record may already be ours (inserted or synced): then the local patient is the duplicate.
  const linked = await patients.byForeignId(institutionId, connector.dataSource, hrs.p.foreign_id);
  if (linked && linked.id !== excludePatientId) return { local: linked };
  if (linked) return undefined;
  return { hrs: hrs.p };
}
