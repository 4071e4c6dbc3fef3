// One sync of one institution (SPEC 7): patients first (appointments need their patients), each read page
// by page from the stored cursor. Every page is applied in one transaction that also stores where the read
// stands, so a sync killed at any moment has lost nothing and the next run resumes at the next page; pages
// are re-applied idempotently (an overlap re-read or a repeated run changes nothing).
import type { Knex } from 'knex';
import type { ChangesPage, HealthRecordConnector, ReadScope } from '../connectors/connector';
import { ConnectorRefused, ConnectorUnreachable } from '../connectors/connector';
import { SecretsKeyError } from '../connectors/secrets';
import { withInstitutionLock } from '../db/connect';
import { practiceRepo } from '../db/repositories/practice';
import { type StreamState, type SyncStream, syncRepo } from '../db/repositories/sync';
import { type Clock, systemClock } from '../db/repositories/time';
import { SyncLeaseLost, type SyncLock, tryLockSync } from '../db/syncLock';
import type { ServiceDeps } from '../services/deps';
import { applyAppointmentPage } from './applyAppointments';
import { applyPatientPage } from './applyPatients';
import { type SyncCounts, type SyncProblem, SyncTally } from './tally';

export interface SyncSummary extends SyncCounts {
  institution_id: number;
  /** False when another run of this institution held the lock: this one did nothing. */
  ran: boolean;
  data_source?: string;
  patients?: SyncCounts & { pages: number };
  appointments?: SyncCounts & { pages: number };
  /** Patients registered here and linked to the system's record of them, instead of a second copy. */
  links?: Array<{ patient_id: number; foreign_id: string }>;
  problems?: SyncProblem[];
  started_at?: string;
  duration_ms?: number;
}

export type SyncDeps = Pick<ServiceDeps, 'db' | 'connectorFor'> & {
  /** The server's clock (ServiceDeps.now); the system's for the admin command line. */
  now?: Clock;
  /** SYNC_LEASE_SECONDS (config.ts); the default when not given. */
  syncLeaseSeconds?: number;
};

/** Failures of the outside system (or of its configuration): reported in the summary, resumed next time. */
function isOutsideFailure(err: unknown): err is Error {
  return (
    err instanceof ConnectorUnreachable ||
    err instanceof ConnectorRefused ||
    err instanceof SecretsKeyError ||
    err instanceof SyncLeaseLost
  );
}

export async function syncInstitution(deps: SyncDeps, institutionId: number): Promise<SyncSummary> {
  const lock = await tryLockSync(deps.db, institutionId, deps.syncLeaseSeconds);
  const tally = new SyncTally();
  if (!lock) return { institution_id: institutionId, ran: false, ...tally.totals() };

  const started = performance.now();
  const now = deps.now ?? systemClock;
  const startedAt = now().toISOString();
  const runs = syncRepo(deps.db.knex, now);
  await runs.ensureRun(institutionId);
  await runs.started(institutionId, startedAt);
  const pages = { patients: 0, appointments: 0 };
  let dataSource: string | undefined;
  try {
    const connector = await deps.connectorFor(institutionId);
    dataSource = connector.dataSource;
    const locations = (await practiceRepo(deps.db.knex).locations(institutionId)).filter((l) => !l.inactive);
    if (!locations.length) {
      tally.error('patients', 'the institution has no active location to place synced patients at');
    } else {
      const run = { deps, institutionId, connector, tally, lock, pages };
      const locationIds = new Set(locations.map((l) => l.id));
      const defaultLocationId = locations[0]!.id;
      const ok = await syncStream(
        run,
        'patients',
        (s, since, page) => connector.patientsChangedSince(s, since, page),
        (trx, items) =>
          applyPatientPage(
            { trx, now, institutionId, dataSource: connector.dataSource, locationIds, defaultLocationId },
            items,
            tally,
          ),
      );
      if (ok) {
        await syncStream(
          run,
          'appointments',
          (s, since, page) => connector.appointmentsChangedSince(s, since, page),
          (trx, items) =>
            applyAppointmentPage(
              { trx, now, institutionId, dataSource: connector.dataSource, locationIds },
              items,
              tally,
            ),
        );
      }
    }
  } catch (err) {
    if (!isOutsideFailure(err)) throw err;
    tally.error('patients', err.message);
  } finally {
    await lock.release().catch(() => {});
  }

  const summary: SyncSummary = {
    institution_id: institutionId,
    ran: true,
    ...(dataSource ? { data_source: dataSource } : {}),
    ...tally.totals(),
    patients: { ...tally.patients, pages: pages.patients },
    appointments: { ...tally.appointments, pages: pages.appointments },
    links: tally.links,
    problems: tally.problems,
    started_at: startedAt,
    duration_ms: Math.round(performance.now() - started),
  };
  await runs.finished(institutionId, now().toISOString(), summary);
  return summary;
}

interface Run {
  deps: SyncDeps;
  institutionId: number;
  connector: HealthRecordConnector;
  tally: SyncTally;
  lock: SyncLock;
  pages: Record<SyncStream, number>;
}

/** Reads one stream to its end; false when it stopped on a failure (reported in the tally). */
async function syncStream<T>(
  run: Run,
  stream: SyncStream,
  read: (scope: ReadScope, since: string | null, page: string | null) => Promise<ChangesPage<T>>,
  apply: (trx: Knex.Transaction, items: T[]) => Promise<void>,
): Promise<boolean> {
  const { deps, institutionId, tally } = run;
  tally.on(stream);
  const repo = syncRepo(deps.db.knex);
  let state: StreamState = await repo.stream(institutionId, stream);
  for (;;) {
    let page: ChangesPage<T>;
    try {
      // Read outside any transaction: a slow health record system never holds the database's write lock.
      page = await read({ knex: deps.db.knex, institutionId }, state.cursor, state.page);
    } catch (err) {
      if (!isOutsideFailure(err)) throw err;
      tally.error(stream, err.message);
      return false;
    }
    const pending = state.pending_cursor ?? page.cursor;
    const next: StreamState = page.next
      ? { cursor: state.cursor, pending_cursor: pending, page: page.next }
      : { cursor: pending, pending_cursor: null, page: null };
    await withInstitutionLock(deps.db, institutionId, async (trx) => {
      await run.lock.confirm(trx);
      await apply(trx, page.items);
      await syncRepo(trx, deps.now).saveStream(institutionId, stream, next);
    });
    run.pages[stream]++;
    state = next;
    if (!page.next) return true;
  }
}
