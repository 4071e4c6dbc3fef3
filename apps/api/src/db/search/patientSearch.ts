// The SQL side of patient search (SPEC 4.2): filters, exact match parameters and fuzzy-name candidates,
// all within one institution. Ranking is core's scoreName; this module only finds and filters rows.
import type { NameQueryPlan, SearchPatientsInput } from '@patients/core';
import type { Knex } from 'knex';

type Filters = Pick<
  SearchPatientsInput,
  'location_id' | 'inactive' | 'non_patient' | 'new_patient' | 'location_strict' | 'updated_since'
>;

/** Patients of the institution that pass the filters (AND-ed; a filter not given filters nothing). */
export function filteredPatients(db: Knex, institutionId: number, f: Filters): Knex.QueryBuilder {
  const q = db('patients').where('patients.institution_id', institutionId);
  if (f.inactive !== undefined) q.where('patients.inactive', f.inactive);
  if (f.non_patient !== undefined) q.where('patients.non_patient', f.non_patient);
  if (f.new_patient === true) q.where('patients.foreign_id_type', 'nex');
  if (f.new_patient === false) q.whereNot('patients.foreign_id_type', 'nex');
  if (f.updated_since) q.where('patients.updated_at', '>=', f.updated_since);
  if (f.location_strict) {
    q.whereExists(
      db('patient_locations')
        .whereRaw('patient_locations.patient_id = patients.id')
        .where('patient_locations.location_id', f.location_id),
    );
  }
  return q;
}

/** Rows matching any exact match parameter (email, phone, date of birth, foreign id). */
export function exactMatchCondition(input: SearchPatientsInput) {
  return (q: Knex.QueryBuilder) => {
    if (input.email) q.orWhere('patients.email', input.email);
    if (input.phone_number) q.orWhere('patients.phone_number', input.phone_number);
    if (input.date_of_birth) q.orWhere('patients.date_of_birth', input.date_of_birth);
    if (input.foreign_id) {
      const foreignId = input.foreign_id;
      q.orWhere('patients.foreign_id', foreignId);
      // A patient not yet inserted has its own id as foreign id (SPEC 4.1's example).
      if (/^\d{1,9}$/.test(foreignId)) {
        q.orWhere((w) => w.whereNull('patients.foreign_id').where('patients.id', Number(foreignId)));
      }
    }
  };
}

export function hasExactParameter(input: SearchPatientsInput): boolean {
  return Boolean(input.email || input.phone_number || input.date_of_birth || input.foreign_id);
}

/**
 * Ids of patients the name query's blocking keys reach (core's nameQueryPlan): exact keys in one indexed
 * IN-list, each prefix as an index range. Keys are ASCII, and bytewise ordered on both engines (WITHOUT ROWID
 * text on SQLite, COLLATE "C" on PostgreSQL), so `prefix <= key < prefix + DEL` is exactly "starts with".
 */
export function nameCandidateIds(db: Knex, institutionId: number, plan: NameQueryPlan): Knex.QueryBuilder {
  const lookups: Knex.QueryBuilder[] = [];
  if (plan.keys.length) {
    lookups.push(
      db('patient_name_keys')
        .where('institution_id', institutionId)
        .whereIn('key', plan.keys)
        .select('patient_id'),
    );
  }
  for (const prefix of plan.prefixes) {
    lookups.push(
      db('patient_name_keys')
        .where('institution_id', institutionId)
        .where('key', '>=', prefix)
        .where('key', '<', `${prefix}\x7f`)
        .select('patient_id'),
    );
  }
  const [first, ...rest] = lookups;
  if (!first) return db('patient_name_keys').whereRaw('1 = 0').select('patient_id');
  // UNION ALL: the IN around it removes repeats, so the union need not sort them away.
  return rest.length ? first.unionAll(rest) : first;
}

export const SORT_COLUMNS: Record<string, string[]> = {
  id: ['patients.id'],
  name: ['patients.last_name', 'patients.first_name', 'patients.id'],
  created_at: ['patients.created_at', 'patients.id'],
  updated_at: ['patients.updated_at', 'patients.id'],
};
