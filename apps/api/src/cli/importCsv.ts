// A streaming CSV reader and writer for the patient import (RFC 4180 as spreadsheets write it): fields separated
// by commas; a field in double quotes may hold commas, line breaks and doubled quotes (""); records end with
// LF, CRLF or CR; a byte-order mark before the header is dropped. Text arrives in chunks and only the record
// still being read is kept, so a file of any size streams through in constant memory.

export interface CsvRecord {
  /** The physical line (from 1) the record starts on. */
  line: number;
  fields: string[];
  /** Why the record cannot be trusted (a malformed quoted field); its fields are what could be read. */
  error?: string;
}

/** A file that cannot be read as CSV at all. */
export class CsvError extends Error {}

const MAX_RECORD_CHARS = 1 << 20;
const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Line breaks in a piece of text: LF, CRLF and a lone CR each count once. */
function lineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

export class CsvParser {
  private rest = '';
  private line = 1;
  private started = false;

  /** Takes the next chunk of text; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const records = this.parse(this.rest + chunk, false);
    if (this.rest.length > MAX_RECORD_CHARS) {
      // Only a quote that is never closed makes a record this long: stop rather than read the file into memory.
      throw new CsvError(`the record at line ${this.line} is longer than 1 MiB: is a quote not closed?`);
    }
    return records;
  }

  /** The end of the text: the last record, when it had no line break after it. */
  end(): CsvRecord[] {
    const text = this.rest;
    this.rest = '';
    return this.parse(text, true);
  }

  private parse(text: string, final: boolean): CsvRecord[] {
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: CsvRecord[] = [];
    const n = text.length;
    let pos = 0;
    let consumed = 0;
    records: while (pos < n) {
      const start = pos;
      const line = this.line;
      let breaks = 0;
      const fields: string[] = [];
      let error: string | undefined;
      for (;;) {
        // One field, starting at pos.
        if (text.charCodeAt(pos) === QUOTE) {
          let value = '';
          let from = pos + 1;
          for (;;) {
            const q = text.indexOf('"', from);
            if (q === -1) {
              if (!final) break records; // the closing quote is in a later chunk
              value += text.slice(from);
              breaks += lineBreaks(text.slice(from));
              error = 'a quoted field is not closed';
              pos = n;
              break;
            }
            value += text.slice(from, q);
            breaks += lineBreaks(text.slice(from, q));
            if (text.charCodeAt(q + 1) === QUOTE) {
              value += '"';
              from = q + 2;
              continue;
            }
            if (q + 1 === n && !final) break records; // could be the first half of a doubled quote
            pos = q + 1;
            break;
          }
          // After the closing quote only a separator may follow; anything else is kept, and the record flagged.
          const c = text.charCodeAt(pos);
          if (pos < n && c !== COMMA && c !== LF && c !== CR) {
            error ??= `a quoted field has text after its closing quote (column ${fields.length + 1})`;
            const stop = nextSeparator(text, pos);
            value += text.slice(pos, stop);
            pos = stop;
          }
          fields.push(value);
        } else {
          const stop = nextSeparator(text, pos);
          fields.push(text.slice(pos, stop));
          pos = stop;
        }
        if (pos >= n) {
          if (!final) break records; // the record may go on in the next chunk
          break;
        }
        const c = text.charCodeAt(pos);
        if (c === COMMA) {
          pos++;
          if (pos >= n && !final) break records;
          if (pos >= n) {
            fields.push('');
            break;
          }
          continue;
        }
        // A line break ends the record; CRLF is one break, and a CR at a chunk's end waits for its LF.
        if (c === CR) {
          if (pos + 1 >= n && !final) break records;
          pos += text.charCodeAt(pos + 1) === LF ? 2 : 1;
        } else {
          pos++;
        }
        breaks++;
        break;
      }
      this.line = line + breaks;
      consumed = pos;
      // A blank line is no record.
      if (!(fields.length === 1 && fields[0] === '' && !error && text.charCodeAt(start) !== QUOTE)) {
        out.push(error ? { line, fields, error } : { line, fields });
      }
    }
    // Whatever was not consumed is the start of an unfinished record, read again with the next chunk.
    this.rest = final ? '' : text.slice(consumed);
    return out;
  }
}

function nextSeparator(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF || c === CR) return i;
  }
  return text.length;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field as written: quoted when it holds a quote, comma, line break or edge space. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line, with its CRLF-free line ending. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}
