// Search keys store only the primary sound code and no longer need the query's deletions of deletions
// (core's searchKeys): rebuild the index from the stored names.
import type { Knex } from 'knex';
import { rebuildNameKeys } from '../search/rebuildNameKeys';

export async function up(knex: Knex): Promise<void> {
  await rebuildNameKeys(knex);
}

export async function down(): Promise<void> {}
