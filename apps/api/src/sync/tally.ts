// What a sync did, for its JSON summary. Problems name records by their foreign id and say why, never with
// a patient's name, birth date or contact details (the summary is printed and logged).
import type { SyncStream } from '../db/repositories/sync';

const MAX_PROBLEMS = 50;

export interface SyncCounts {
  pulled: number;
  created: number;
  updated: number;
  linked: number;
  /** Pulled and already up to date here (a re-read of the overlap, or a second run). */
  unchanged: number;
  /** Pulled and not applied (see problems). */
  skipped: number;
  errors: number;
}

export interface SyncProblem {
  stream: SyncStream;
  foreign_id: string | null;
  reason: string;
}

export class SyncTally {
  readonly patients: SyncCounts = emptyCounts();
  readonly appointments: SyncCounts = emptyCounts();
  readonly links: Array<{ patient_id: number; foreign_id: string }> = [];
  readonly problems: SyncProblem[] = [];
  private stream: SyncStream = 'patients';

  on(stream: SyncStream): void {
    this.stream = stream;
  }

  pulled(n: number): void {
    this[this.stream].pulled += n;
  }

  count(what: 'created' | 'updated' | 'linked' | 'unchanged'): void {
    this[this.stream][what]++;
  }

  link(patientId: number, foreignId: string): void {
    this.links.push({ patient_id: patientId, foreign_id: foreignId });
  }

  /** A record that was not applied as pulled (skipped, or applied with a caveat for staff). */
  problem(stream: SyncStream, foreignId: string | null, reason: string, skipped = true): void {
    if (skipped) this[stream].skipped++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ stream, foreign_id: foreignId, reason });
  }

  /** A failure that stopped a stream (the system unreachable, say): the next run resumes from the last page. */
  error(stream: SyncStream, reason: string): void {
    this[stream].errors++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ stream, foreign_id: null, reason });
  }

  totals(): SyncCounts {
    const t = emptyCounts();
    for (const c of [this.patients, this.appointments]) {
      for (const k of Object.keys(t) as (keyof SyncCounts)[]) t[k] += c[k];
    }
    return t;
  }
}

function emptyCounts(): SyncCounts {
  return { pulled: 0, created: 0, updated: 0, linked: 0, unchanged: 0, skipped: 0, errors: 0 };
}
