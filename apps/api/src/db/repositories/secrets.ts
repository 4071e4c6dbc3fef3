// Secrets the service makes for itself and keeps in the database (the bearer-token signing secret).
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export function secretsRepo(db: Knex) {
  return {
    /** The named secret, made (32 random bytes) the first time it is asked for; the same on every later call. */
    async getOrCreate(name: string): Promise<string> {
      await db('secrets')
        .insert({ name, value: randomBytes(32).toString('base64url') })
        .onConflict('name')
        .ignore();
      const row = await db('secrets').where({ name }).first('value');
      return row.value;
    },
  };
}
