// Reading and validating an import file in a worker thread, so the main thread spends its time on duplicate
// checks and writes: on two cores an import runs about twice as fast. The worker reads the file (importSource),
// validates each row (prepareRow) and posts rows in chunks of JSON; the main thread acknowledges each chunk, and
// the worker stays at most a few chunks ahead, so memory stays bounded however large the file.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { PreparedRow, PrepareOptions } from '../services/importPatients';
import { prepareRow } from '../services/importPatients';
import { ImportFileError, type ImportFormat, openSource } from './importSource';

interface Job {
  path: string;
  format: ImportFormat;
  prepare: PrepareOptions;
  /** Rows the main thread writes per transaction: the worker may be two batches ahead. */
  batchSize?: number;
}

type Message =
  | { type: 'header'; header: string[] | null; totalBytes: number }
  | { type: 'rows'; json: string; bytesRead: number }
  | { type: 'end'; bytesRead: number }
  | { type: 'error'; message: string; fileError: boolean };

const CHUNK_ROWS = 500;
/** Chunks the worker may be ahead of the main thread: enough for the next batch while one is written. */
const ahead = (batchSize = 1000) => Math.max(8, Math.ceil((2 * batchSize) / CHUNK_ROWS) + 2);

export interface PreparedSource {
  header: string[] | null;
  totalBytes: number;
  bytesRead(): number;
  rows: AsyncIterable<PreparedRow>;
  close(): Promise<void>;
}

/** Starts the worker and waits for the file's header (or the reason it cannot be imported). */
export async function openPreparedSource(job: Job): Promise<PreparedSource> {
  const self = new URL(import.meta.url);
  // Under tsx (no build step) the worker needs tsx's loader too.
  const code = self.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self.href)}); })`
    : `import(${JSON.stringify(self.href)})`;
  const worker = new Worker(code, { eval: true, workerData: job });

  const inbox: Message[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let exited = false;
  worker.on('message', (m: Message) => {
    inbox.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  const next = async (): Promise<Message> => {
    for (;;) {
      const m = inbox.shift();
      if (m) return m;
      if (failure) throw failure;
      if (exited) throw new Error('the import worker stopped unexpectedly');
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  };

  const first = await next();
  if (first.type === 'error') {
    await worker.terminate();
    throw first.fileError ? new ImportFileError(first.message) : new Error(first.message);
  }
  if (first.type !== 'header') throw new Error('the import worker did not send the header');
  let bytes = 0;

  async function* rows(): AsyncGenerator<PreparedRow> {
    try {
      for (;;) {
        const m = await next();
        if (m.type === 'error') throw m.fileError ? new ImportFileError(m.message) : new Error(m.message);
        if (m.type === 'end') {
          bytes = m.bytesRead;
          return;
        }
        if (m.type !== 'rows') continue;
        bytes = m.bytesRead;
        worker.postMessage('ack');
        yield* JSON.parse(m.json) as PreparedRow[];
      }
    } finally {
      await worker.terminate();
    }
  }
  return {
    header: first.header,
    totalBytes: first.totalBytes,
    bytesRead: () => bytes,
    rows: rows(),
    close: async () => {
      await worker.terminate();
    },
  };
}

async function work(job: Job): Promise<void> {
  const port = parentPort!;
  const send = (m: Message) => port.postMessage(m);
  let credit = ahead(job.batchSize);
  let resume: (() => void) | undefined;
  port.on('message', () => {
    credit++;
    resume?.();
  });
  try {
    const source = await openSource(job.path, job.format);
    send({ type: 'header', header: source.header, totalBytes: source.totalBytes });
    let chunk: PreparedRow[] = [];
    const post = async () => {
      while (credit <= 0) {
        await new Promise<void>((r) => {
          resume = r;
        });
        resume = undefined;
      }
      credit--;
      send({ type: 'rows', json: JSON.stringify(chunk), bytesRead: source.bytesRead() });
      chunk = [];
    };
    for await (const row of source.rows) {
      const prepared = prepareRow(row, job.prepare);
      // The main thread needs a row's values no more, only what the report shows.
      if (prepared.ok) prepared.accepted.row = { ...prepared.accepted.row, values: {} };
      else prepared.row = { ...prepared.row, values: {} };
      chunk.push(prepared);
      if (chunk.length >= CHUNK_ROWS) await post();
    }
    if (chunk.length) await post();
    send({ type: 'end', bytesRead: source.bytesRead() });
  } catch (err) {
    send({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
      fileError: err instanceof ImportFileError,
    });
  } finally {
    port.close();
  }
}

if (!isMainThread && parentPort && (workerData as Job | undefined)?.path) void work(workerData as Job);
