// Reading an import file as a stream of rows: CSV with a header row, or JSON Lines (one object per line).
// Only the chunk being read is in memory, however large the file.
import { createReadStream, statSync } from 'node:fs';
import { IMPORT_COLUMNS, type ImportColumn, type ImportRow } from '../services/importPatients';
import { CsvError, CsvParser, type CsvRecord } from './importCsv';

export type ImportFormat = 'csv' | 'jsonl';

/** The file cannot be imported at all (unknown columns, no header, unreadable): nothing is written. */
export class ImportFileError extends Error {}

export interface ImportSource {
  format: ImportFormat;
  /** The CSV header as written in the file (null for JSON Lines). */
  header: string[] | null;
  rows: AsyncIterable<ImportRow>;
  totalBytes: number;
  bytesRead(): number;
}

const KNOWN = new Set<string>(IMPORT_COLUMNS);
const CHUNK = 1 << 20;
const MAX_LINE_CHARS = 1 << 20;

/** The format a file name implies: `.csv`, or `.jsonl` / `.ndjson` (JSON Lines). */
export function formatOf(path: string): ImportFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

export async function openSource(path: string, format: ImportFormat): Promise<ImportSource> {
  let totalBytes: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ImportFileError(`${path} is not a file`);
    totalBytes = stat.size;
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  const bytesRead = () => stream.bytesRead;
  if (format === 'jsonl') {
    return {
      format,
      header: null,
      rows: jsonLines(chunks, stream.destroy.bind(stream)),
      totalBytes,
      bytesRead,
    };
  }

  // CSV: the header comes first, and is checked before anything else happens. The records of one chunk are
  // taken from `queue` by index (shift() on an array of thousands of records copies the rest each time).
  const parser = new CsvParser();
  let queue: CsvRecord[] = [];
  let taken = 0;
  let done = false;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    const next = await chunks.next();
    try {
      const records = next.done ? parser.end() : parser.push(next.value);
      if (next.done) done = true;
      queue = taken < queue.length ? [...queue.slice(taken), ...records] : records;
      taken = 0;
    } catch (err) {
      stream.destroy();
      if (err instanceof CsvError) throw new ImportFileError(err.message);
      throw err;
    }
    return true;
  };
  while (taken >= queue.length && (await more()));
  const first = queue[taken++];
  if (!first) {
    stream.destroy();
    throw new ImportFileError(`${path} is empty: a header row naming the columns is required`);
  }
  const header = first.fields.map((f) => f.trim().toLowerCase());
  checkHeader(header, first);
  const columns = header as ImportColumn[];

  async function* rows(): AsyncGenerator<ImportRow> {
    try {
      for (;;) {
        while (taken < queue.length) {
          const record = queue[taken++]!;
          yield csvRow(record, columns);
        }
        if (!(await more())) return;
      }
    } finally {
      stream.destroy();
    }
  }
  return { format, header: first.fields, rows: rows(), totalBytes, bytesRead };
}

function checkHeader(header: string[], record: CsvRecord): void {
  if (record.error) throw new ImportFileError(`the header row is malformed: ${record.error}`);
  const unknown = header.filter((h) => !KNOWN.has(h));
  if (unknown.length) {
    throw new ImportFileError(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} in the header; the columns are: ${IMPORT_COLUMNS.join(', ')}`,
    );
  }
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length) throw new ImportFileError(`column "${repeated[0]}" appears twice in the header`);
  for (const required of ['first_name', 'last_name']) {
    if (!header.includes(required)) throw new ImportFileError(`the header has no ${required} column`);
  }
}

function csvRow(record: CsvRecord, columns: readonly ImportColumn[]): ImportRow {
  const problems: string[] = [];
  if (record.error) problems.push(record.error);
  if (record.fields.length !== columns.length) {
    problems.push(`the row has ${record.fields.length} fields; the header has ${columns.length}`);
  }
  const values: ImportRow['values'] = {};
  if (!problems.length) for (let i = 0; i < columns.length; i++) values[columns[i]!] = record.fields[i];
  return { line: record.line, values, problems, raw: record.fields };
}

async function* jsonLines(chunks: AsyncIterator<string>, close: () => void): AsyncGenerator<ImportRow> {
  let rest = '';
  let line = 0;
  let first = true;
  try {
    for (;;) {
      const next = await chunks.next();
      let text = next.done ? rest : rest + next.value;
      if (first && text.length) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        if (nl === -1) break;
        line++;
        const row = jsonRow(text.slice(from, nl), line);
        if (row) yield row;
        from = nl + 1;
      }
      rest = text.slice(from);
      if (next.done) {
        if (rest.length) {
          const row = jsonRow(rest, line + 1);
          if (row) yield row;
        }
        return;
      }
      if (rest.length > MAX_LINE_CHARS) throw new ImportFileError(`line ${line + 1} is longer than 1 MiB`);
    }
  } finally {
    close();
  }
}

function jsonRow(text: string, line: number): ImportRow | undefined {
  const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (!raw.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { line, values: {}, problems: ['the line is not valid JSON'], raw };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { line, values: {}, problems: ['the line is not a JSON object'], raw };
  }
  const problems: string[] = [];
  const values: ImportRow['values'] = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (KNOWN.has(key)) values[key as ImportColumn] = value;
    else problems.push(`${key} is not a known field`);
  }
  return { line, values, problems, raw };
}
