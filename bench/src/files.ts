// Patients to and from files: CSV (the bulk import's columns) or JSON lines.

import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { CSV_COLUMNS, type Gender, type PatientRecord } from './generate';

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Splits one CSV line (RFC 4180 quoting; no line breaks inside cells). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

export async function writePatients(
  path: string,
  rows: Iterable<PatientRecord>,
  format: 'csv' | 'jsonl' = 'csv',
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const lines: string[] = format === 'csv' ? [CSV_COLUMNS.join(',')] : [];
  const flush = async () => {
    if (!lines.length) return;
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
    lines.length = 0;
  };
  for (const row of rows) {
    lines.push(
      format === 'csv'
        ? CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')
        : JSON.stringify(Object.fromEntries(CSV_COLUMNS.map((c) => [c, row[c]]))),
    );
    if (lines.length >= 10_000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
}

export async function* readPatients(path: string): AsyncGenerator<PatientRecord> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const jsonl = path.endsWith('.jsonl');
  let header: string[] | undefined;
  for await (const line of lines) {
    if (!line.trim()) continue;
    if (jsonl) {
      yield JSON.parse(line) as PatientRecord;
      continue;
    }
    const cells = parseCsvLine(line);
    if (!header) {
      header = cells;
      continue;
    }
    const get = (name: string) => {
      const v = cells[header!.indexOf(name)];
      return v === undefined || v === '' ? null : v;
    };
    yield {
      first_name: get('first_name') ?? '',
      last_name: get('last_name') ?? '',
      middle_name: get('middle_name'),
      preferred_name: get('preferred_name'),
      email: get('email') ?? '',
      phone_number: get('phone_number') ?? '',
      date_of_birth: get('date_of_birth') ?? '',
      gender: (get('gender') ?? 'Other') as Gender,
    };
  }
}
