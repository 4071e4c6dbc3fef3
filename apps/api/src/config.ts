// Settings from the environment (SPEC 9), read once at start.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: `data/` there holds the default SQLite file. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  production: boolean;
  seedDemo: boolean;
  tokenSecret: string | undefined;
  logLevel: string;
  /** Seconds between looks for institutions due a scheduled sync; 0 turns the schedule off. */
  syncTickSeconds: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || `file:${resolve(REPO_ROOT, 'data/patients.sqlite')}`,
    production,
    seedDemo: !production && env.SEED_DEMO !== 'false',
    tokenSecret: env.TOKEN_SECRET || undefined,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    syncTickSeconds: Number(env.SYNC_TICK_SECONDS ?? 30) || 0,
  };
}
