// `admin import`: bulk-imports patients from a CSV or JSON Lines file (see services/importPatients.ts for the
// rules). Rejected rows go to a report file with their line and reasons; a progress bar shows on stderr when it is
// a terminal; the summary is the command's one JSON line on stdout. Ctrl-C (or SIGTERM) stops after the batch
// being written commits; a second Ctrl-C stops at once (the open batch rolls back). Either way running the same
// command again completes the import without duplicates.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { referenceConnector } from '../connectors/reference';
import type { Database } from '../db/connect';
import { tuneForBulkImport } from '../db/connect';
import { settleAfterImport } from '../db/maintenance';
import { institutionsRepo } from '../db/repositories/institutions';
import { practiceRepo } from '../db/repositories/practice';
import {
  importPatients,
  noImportCounts,
  type PrepareOptions,
  type Rejection,
} from '../services/importPatients';
import { csvLine } from './importCsv';
import { formatOf, ImportFileError, type ImportFormat } from './importSource';
import { openPreparedSource, type PreparedSource } from './importWorker';

/** A usage or file problem, reported before anything is written. */
export class ImportUsageError extends Error {}

export const IMPORT_USAGE =
  'import --subdomain S --location-id L [--format csv|jsonl] [--rejects PATH] [--batch-size N] [--foreign-id-type T] FILE';

export type ImportOptionValues = Record<string, string | boolean | undefined>;

const DEFAULT_BATCH = 25_000;
const MAX_BATCH = 50_000;

function option(o: ImportOptionValues, name: string): string | undefined {
  const v = o[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export async function runImport(
  db: Database,
  o: ImportOptionValues,
  files: readonly string[],
): Promise<Record<string, unknown>> {
  const started = performance.now();
  if (files.length !== 1) throw new ImportUsageError(`name one file to import: ${IMPORT_USAGE}`);
  const file = resolve(files[0]!);

  const sub = option(o, 'subdomain');
  if (!sub) throw new ImportUsageError('--subdomain is required');
  const inst = await institutionsRepo(db.knex).bySubdomain(sub);
  if (!inst) throw new ImportUsageError(`no institution with subdomain "${sub}"`);
  const locationId = Number(option(o, 'location-id'));
  if (!Number.isInteger(locationId) || !(await practiceRepo(db.knex).location(inst.id, locationId))) {
    throw new ImportUsageError(
      `--location-id ${option(o, 'location-id') ?? ''} is not a location of "${sub}"`,
    );
  }

  const given = option(o, 'format');
  if (given && given !== 'csv' && given !== 'jsonl')
    throw new ImportUsageError('--format must be csv or jsonl');
  const format = (given as ImportFormat | undefined) ?? formatOf(file);
  if (!format)
    throw new ImportUsageError(`cannot tell the format of ${file} from its name: give --format csv|jsonl`);

  const batchText = option(o, 'batch-size');
  const batchSize = batchText === undefined ? DEFAULT_BATCH : Number(batchText);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    throw new ImportUsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH}`);
  }
  const foreignIdType = option(o, 'foreign-id-type');
  if (foreignIdType && (foreignIdType === 'nex' || foreignIdType.length > 64)) {
    throw new ImportUsageError(
      '--foreign-id-type must name the health record system (not "nex"), at most 64 characters',
    );
  }

  const rejectsFile = resolve(option(o, 'rejects') ?? `${file}.rejects.csv`);
  if (rejectsFile === file) throw new ImportUsageError('--rejects must not be the file being imported');

  const settings = await institutionsRepo(db.knex).settings(inst.id);
  const prepare = {
    subdomain: inst.subdomain,
    locationId,
    foreignIdType,
    demographicDefaults: settings.demographic_defaults,
  };
  const source = await openPreparedSource({ path: file, format, prepare, batchSize }).catch((err) => {
    throw err instanceof ImportFileError ? new ImportUsageError(err.message) : err;
  });
  try {
    return await importFrom(db, source, {
      ...prepare,
      institutionId: inst.id,
      batchSize,
      rejectsFile,
      started,
    });
  } finally {
    await source.close();
  }
}

async function importFrom(
  db: Database,
  source: PreparedSource,
  job: PrepareOptions & { institutionId: number; batchSize: number; rejectsFile: string; started: number },
): Promise<Record<string, unknown>> {
  const { rejectsFile, foreignIdType } = job;
  if (source.header?.some((h) => h.trim().toLowerCase() === 'foreign_id') && !foreignIdType) {
    throw new ImportUsageError(
      'the file has a foreign_id column: give --foreign-id-type, the system those ids are of',
    );
  }

  // The report: each rejected row with its line, reasons and what it duplicates, then the row as it was.
  const rejects = createWriteStream(rejectsFile);
  await new Promise<void>((opened, failed) => {
    rejects.once('open', () => opened());
    rejects.once('error', (err: NodeJS.ErrnoException) =>
      failed(new ImportUsageError(`cannot write ${rejectsFile} (${err.code ?? 'error'})`)),
    );
  });
  let writeError: Error | undefined;
  rejects.on('error', (err) => {
    writeError = err;
  });
  rejects.write(csvLine(['line', 'reason', 'duplicate_of', ...(source.header ?? ['row'])]));
  const writeRejection = async (r: Rejection) => {
    const row = typeof r.row.raw === 'string' ? [r.row.raw] : r.row.raw;
    if (writeError) throw writeError;
    if (!rejects.write(csvLine([r.row.line, r.reasons.join('; '), r.duplicateOf ?? '', ...row]))) {
      await once(rejects, 'drain');
    }
  };

  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format:
            'import [{bar}] {percentage}% | {read} rows: {created} created, {rejected} rejected, {duplicates} duplicates, {skipped_existing} already there | {eta_formatted} left',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const zero = noImportCounts();
  bar?.start(Math.max(1, source.totalBytes), 0, { ...zero });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      bar?.stop();
      process.stderr.write(
        `admin import: stopped at once (${signal}); the batch being written was not kept\n`,
      );
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(
      `\nadmin import: stopping after the batch being written (${signal} again to stop at once); run the same command to resume\n`,
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await tuneForBulkImport(db);
    const result = await importPatients(db, source.rows, {
      ...job,
      connector: referenceConnector,
      onReject: writeRejection,
      onBatch: (counts) => bar?.update(source.bytesRead(), { ...counts }),
      stopRequested: () => stopping,
    });
    bar?.update(result.interrupted ? source.bytesRead() : Math.max(1, source.totalBytes), { ...result });
    if (result.created) await settleAfterImport(db);
    const { interrupted, ...counts } = result;
    return {
      ...counts,
      seconds: Math.round((performance.now() - job.started) / 10) / 100,
      rejects_file: rejectsFile,
      ...(interrupted ? { interrupted: true } : {}),
    };
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rejects.end();
    await once(rejects, 'close').catch(() => {});
  }
}
