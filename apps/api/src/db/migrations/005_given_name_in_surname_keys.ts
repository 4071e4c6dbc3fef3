// Surname keys now carry the given name they were filed under (core's searchKeys: `s:<form>|<initial>|<given>`),
// so search drops candidates whose given name cannot match before reading their rows: rebuild the index.
import type { Knex } from 'knex';
import { rebuildNameKeys } from '../search/rebuildNameKeys';

export async function up(knex: Knex): Promise<void> {
  await rebuildNameKeys(knex);
}

export async function down(): Promise<void> {}
