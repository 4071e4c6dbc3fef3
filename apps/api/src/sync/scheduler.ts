// The server's sync schedule: every tick, each institution whose interval has passed since its last sync
// started is synced, one at a time (two cores; a sync is mostly waiting on the other system anyway). The
// sync lock makes it safe to run this in every server process and beside the admin CLI.
import type { Logger } from 'pino';
import { syncIntervalMinutes } from '../connectors/registry';
import { connectorsRepo } from '../db/repositories/connectors';
import { institutionsRepo } from '../db/repositories/institutions';
import { syncRepo } from '../db/repositories/sync';
import { systemClock } from '../db/repositories/time';
import { type SyncDeps, syncInstitution } from './runSync';

export interface SyncScheduler {
  stop(): Promise<void>;
}

export function startSyncScheduler(deps: SyncDeps, logger: Logger, tickMs: number): SyncScheduler {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function tick() {
    const { knex } = deps.db;
    const institutions = await institutionsRepo(knex).ids();
    const runs = new Map((await syncRepo(knex).runs()).map((r) => [r.institution_id, r]));
    for (const id of institutions) {
      if (stopped) return;
      const minutes = syncIntervalMinutes((await connectorsRepo(knex).get(id))?.settings);
      if (minutes === 0) continue;
      const last = runs.get(id)?.last_started_at;
      if (last && (deps.now ?? systemClock)().getTime() - Date.parse(last) < minutes * 60_000) continue;
      const s = await syncInstitution(deps, id);
      // Counts only: a summary's problems name foreign ids, never patient data, but the log needs neither.
      if (s.ran) {
        const { pulled, created, updated, linked, skipped, errors } = s;
        logger.info(
          {
            institution_id: id,
            pulled,
            created,
            updated,
            linked,
            skipped,
            errors,
            duration_ms: s.duration_ms,
          },
          'sync',
        );
      }
    }
  }

  const timer = setInterval(() => {
    running = running
      .then(tick)
      .catch((err) => logger.error({ err: { name: (err as Error).name } }, 'sync tick failed'));
  }, tickMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
