// Applies one page of patients pulled from the health record system, inside the page's transaction.
//
// For each record, in this order:
// 1. Our copy of it (same data source and foreign id) is overwritten: the health record system wins
//    (SPEC 4.5, 7). Unchanged copies are left alone, so a second sync changes nothing.
// 2. Otherwise, a patient registered here and not yet inserted who is the same person by the duplicate
//    rule (SPEC 4.3: same birth date and name, email or phone) is linked: it takes the foreign id, and the
//    record's values. Exactly one such patient, or none: two that both match are not guessed between.
//    Twins and family share surnames, birth dates, phones and emails, but the rule never calls them the
//    same person, so they are never linked.
// 3. Otherwise the record comes in as a new patient of that data source, findable by search at once.
import {
  BIO_DETAIL_FIELDS,
  type DuplicateEvidence,
  duplicateEvidenceOf,
  findDuplicates,
  syncedPatientRecord,
} from '@patients/core';
import type { Knex } from 'knex';
import type { HrsPatient } from '../connectors/connector';
import { type PatientRow, type PatientWrite, patientsRepo } from '../db/repositories/patients';
import { syncedRecordsRepo } from '../db/repositories/syncedRecords';
import type { Clock } from '../db/repositories/time';
import { emit } from '../services/webhooks';
import type { SyncTally } from './tally';

export interface PatientPageContext {
  trx: Knex.Transaction;
  /** The sync's clock, for every time it stores. */
  now: Clock;
  institutionId: number;
  dataSource: string;
  /** Our locations, to keep a mapped location only when it is one of them. */
  locationIds: ReadonlySet<number>;
  /** Where a record with no (known) location is placed. */
  defaultLocationId: number;
}

/**
 * The fields a pulled record sets on our copy; the bio details (address, other phones) too when the connector
 * carries them (a connector without them leaves ours as they are).
 */
const SYNCED_FIELDS = [
  'first_name',
  'last_name',
  'middle_name',
  'preferred_name',
  'email',
  'phone_number',
  'date_of_birth',
  'gender',
  'inactive',
  'non_patient',
] as const;

function changes(row: PatientRow, fields: PatientWrite): PatientWrite | null {
  const out: PatientWrite = {};
  for (const [k, v] of Object.entries(fields) as [keyof PatientWrite, unknown][]) {
    const now = row[k as keyof PatientRow];
    const differs = Array.isArray(v) ? JSON.stringify(v) !== JSON.stringify(now) : v !== now;
    if (differs) (out as Record<string, unknown>)[k] = v;
  }
  return Object.keys(out).length ? out : null;
}

export async function applyPatientPage(
  ctx: PatientPageContext,
  items: readonly HrsPatient[],
  tally: SyncTally,
): Promise<void> {
  const { trx, institutionId, dataSource } = ctx;
  const patients = patientsRepo(trx, ctx.now);
  const lookups = syncedRecordsRepo(trx);

  tally.pulled(items.length);
  const records = [];
  for (const item of items) {
    const parsed = syncedPatientRecord.safeParse(item);
    if (!parsed.success) {
      tally.problem('patients', item.foreign_id, 'record has no usable name or id; skipped');
      continue;
    }
    const location =
      item.location_id != null && ctx.locationIds.has(item.location_id) ? item.location_id : null;
    records.push({ record: parsed.data, location });
  }

  const ours = await lookups.patientsByForeignId(
    institutionId,
    dataSource,
    records.map((r) => r.record.foreign_id),
  );
  // Link candidates, removed once taken so no two records link to one patient.
  const linkable = new Map<number, DuplicateEvidence & { id: number }>();
  const unmatchedDates = records
    .filter((r) => !ours.has(r.record.foreign_id) && r.record.date_of_birth)
    .map((r) => r.record.date_of_birth!);
  for (const row of await lookups.notInsertedBornOn(institutionId, unmatchedDates)) {
    linkable.set(row.id, { ...duplicateEvidenceOf(row), id: row.id });
  }

  const syncedAt = ctx.now().toISOString();
  const guarantors: Array<{ patientId: number; guarantor: string }> = [];
  for (const { record, location } of records) {
    const fields: PatientWrite = Object.fromEntries([
      ...SYNCED_FIELDS.map((f) => [f, record[f]]),
      ...BIO_DETAIL_FIELDS.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]),
    ]);
    let row = ours.get(record.foreign_id);
    if (row) {
      const diff = changes(row, { ...fields, demographics_defaulted: [] });
      if (diff) {
        row = (await patients.update(institutionId, row.id, { ...diff, last_sync_time: syncedAt }))!;
        await emit(trx, institutionId, 'patient_updated', 'Patient', [row.id], ctx.now);
        tally.count('updated');
      } else {
        tally.count('unchanged');
      }
    } else {
      const evidence = duplicateEvidenceOf({ ...record, demographics_defaulted: [] });
      const same = findDuplicates(evidence, [...linkable.values()]);
      if (same.length === 1) {
        const [local] = same;
        linkable.delete(local!.id);
        row = (await patients.update(institutionId, local!.id, {
          ...fields,
          demographics_defaulted: [],
          foreign_id: record.foreign_id,
          foreign_id_type: dataSource,
          last_sync_time: syncedAt,
        }))!;
        await emit(trx, institutionId, 'patient_updated', 'Patient', [row.id], ctx.now);
        tally.count('linked');
        tally.link(row.id, record.foreign_id);
      } else {
        if (same.length > 1) {
          tally.problem(
            'patients',
            record.foreign_id,
            `the same person as ${same.length} patients registered here; brought in separately for staff to review`,
            false,
          );
        }
        row = await patients.insert(institutionId, location ?? ctx.defaultLocationId, {
          ...fields,
          foreign_id: record.foreign_id,
          foreign_id_type: dataSource,
          last_sync_time: syncedAt,
        });
        ours.set(record.foreign_id, row);
        await emit(trx, institutionId, 'patient_created', 'Patient', [row.id], ctx.now);
        tally.count('created');
      }
    }
    if (location != null) await patients.addLocation(institutionId, row.id, location);
    guarantors.push({ patientId: row.id, guarantor: record.guarantor_foreign_id ?? '' });
    ours.set(record.foreign_id, row);
  }

  // Guarantors last: a family's guarantor may come later in the same page, or be known from an earlier one.
  const missing = guarantors.map((g) => g.guarantor).filter((g) => g && !ours.has(g));
  for (const [id, row] of await lookups.patientsByForeignId(institutionId, dataSource, missing))
    ours.set(id, row);
  const byId = new Map([...ours.values()].map((r) => [r.id, r]));
  for (const { patientId, guarantor } of guarantors) {
    const guarantorId = guarantor ? (ours.get(guarantor)?.id ?? null) : null;
    if (byId.get(patientId)?.guarantor_id !== guarantorId) {
      await patients.update(institutionId, patientId, { guarantor_id: guarantorId });
    }
  }
}
