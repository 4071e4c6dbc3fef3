// The duplicate check of SPEC 4.3, against this service's patients and, where the connector answers at
// once, the health record system itself. Runs inside the caller's institution-locked transaction.
import {
  type DuplicateEvidence,
  duplicateEvidenceOf,
  duplicateReasons,
  type ExistingMatch,
  findDuplicates,
} from '@patients/core';
import type { Knex } from 'knex';
import type { HealthRecordConnector, HrsPatient } from '../connectors/connector';
import { type PatientRow, patientsRepo } from '../db/repositories/patients';

/** The patient found, with the rule's reasons (core's duplicateReasons). */
export type ExistingPatient = ({ local: PatientRow } | { hrs: HrsPatient }) & { reasons: string[] };

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
    if (row) return { local: row, reasons: duplicateReasons(candidate, local) ?? [] };
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
  const reasons = duplicateReasons(candidate, hrs) ?? [];
  if (linked && linked.id !== excludePatientId) return { local: linked, reasons };
  if (linked) return undefined;
  return { hrs: hrs.p, reasons };
}

/** SPEC 4.3's `existing`: the matched patient as a caller can find it again, and why it matched. */
export function existingMatch(found: ExistingPatient, dataSource: string): ExistingMatch {
  if ('local' in found) {
    const row = found.local;
    return {
      id: row.id,
      foreign_id: row.foreign_id ?? String(row.id),
      foreign_id_type: row.foreign_id_type,
      reasons: found.reasons,
    };
  }
  return { id: null, foreign_id: found.hrs.foreign_id, foreign_id_type: dataSource, reasons: found.reasons };
}
