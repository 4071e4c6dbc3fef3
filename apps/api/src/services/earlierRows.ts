// The rows an import accepted earlier in the same file, for the duplicate rule between rows of one file
// (importPatients.ts). Kept compact for a million rows, with a cheap pre-check in front of core's rule; the
// pre-check may only let through too much, never too little, which earlierRows.property.test.ts checks
// against isSamePatient on generated pairs.
import {
  DUPLICATE_EVIDENCE_FIELDS,
  type DuplicateEvidence,
  emailKey,
  isSamePatient,
  nameTokens,
  phoneKey,
} from '@patients/core';

// Stored US phones are 10 national digits already (core's duplicate rule compares them as they are).

/** 32-bit FNV-1a of a string, never 0 (0 stands for "no value"). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0 || 1;
}

const HIST = 32;

/**
 * The rows accepted earlier in this run, by date of birth (the rule needs the same one), kept compact: per row
 * its line, its evidence as one JSON string, and a few numbers for a cheap exact pre-check, in typed arrays.
 * The pre-check is a necessary condition of core's rule (isSamePatient): genders that do not differ (or are
 * defaulted), and one of: the same email key, the same phone key, or surnames that could be compatible (a
 * shared word, or joined letters within the rule's two-edit typo allowance: lengths within 2 and letter counts
 * within 4). Only rows that pass it are checked by the rule itself, so the import's answers are the rule's.
 */
export class EarlierRows {
  private readonly byDob = new Map<string, number[]>();
  private readonly evidence: string[] = [];
  private readonly genders = new Map<string, number>();
  private lines = new Int32Array(1024);
  private gender = new Int32Array(1024);
  private email = new Int32Array(1024);
  private phone = new Int32Array(1024);
  private surnameWords = new Int32Array(1024);
  private surnameLength = new Int32Array(1024);
  private letters = new Uint8Array(1024 * HIST);
  private size = 0;
  /** The evidence profiled into the slot after the last row (by find), which add then keeps. */
  private profiled: DuplicateEvidence | undefined;

  /** The earlier row that is the same person as `e` (same date of birth), or undefined. */
  find(e: DuplicateEvidence, dob: string): { line: number } | undefined {
    const list = this.byDob.get(dob);
    if (!list) return undefined;
    const me = this.size;
    this.profile(me, e);
    this.profiled = e;
    for (const j of list) {
      if (!this.mayMatch(me, j)) continue;
      if (isSamePatient(e, this.evidenceAt(j))) return { line: this.lines[j]! };
    }
    return undefined;
  }

  add(e: DuplicateEvidence, dob: string, line: number): void {
    const i = this.size++;
    if (this.profiled !== e) this.profile(i, e);
    this.profiled = undefined;
    this.lines[i] = line;
    this.evidence.push(JSON.stringify(DUPLICATE_EVIDENCE_FIELDS.map((field) => e[field] ?? null)));
    const list = this.byDob.get(dob);
    if (list) list.push(i);
    else this.byDob.set(dob, [i]);
  }

  private evidenceAt(j: number): DuplicateEvidence {
    const values = JSON.parse(this.evidence[j]!) as unknown[];
    return Object.fromEntries(DUPLICATE_EVIDENCE_FIELDS.map((field, k) => [field, values[k]])) as never;
  }

  private mayMatch(a: number, b: number): boolean {
    const ga = this.gender[a]!;
    const gb = this.gender[b]!;
    if (ga !== 0 && gb !== 0 && ga !== gb) return false;
    const ea = this.email[a]!;
    if (ea !== 0 && ea === this.email[b]) return true;
    const pa = this.phone[a]!;
    if (pa !== 0 && pa === this.phone[b]) return true;
    const wa = this.surnameWords[a]!;
    const wb = this.surnameWords[b]!;
    if (wa === 0 || wb === 0) return false;
    if ((wa & wb) !== 0) return true;
    if (Math.abs(this.surnameLength[a]! - this.surnameLength[b]!) > 2) return false;
    const la = this.letters;
    let apart = 0;
    for (let k = 0, x = a * HIST, y = b * HIST; k < HIST; k++) {
      apart += Math.abs(la[x + k]! - la[y + k]!);
      if (apart > 4) return false;
    }
    return true;
  }

  private profile(i: number, e: DuplicateEvidence): void {
    if (i >= this.lines.length) this.grow();
    const defaulted = e.demographics_defaulted;
    // 0: no gender to compare (missing or defaulted); else a number per gender as the rule compares it.
    let g = 0;
    if (e.gender != null && !defaulted.includes('gender')) {
      const key = e.gender.trim().toLowerCase();
      g = this.genders.get(key) ?? 0;
      if (!g) {
        g = this.genders.size + 1;
        this.genders.set(key, g);
      }
    }
    this.gender[i] = g;
    const email = defaulted.includes('email') ? null : emailKey(e.email);
    this.email[i] = email === null ? 0 : hash(email);
    const phone = defaulted.includes('phone_number') ? null : phoneKey(e.phone_number);
    this.phone[i] = phone === null ? 0 : hash(phone);
    const words = nameTokens(e.last_name);
    let mask = 0;
    for (const w of words) mask |= 1 << (hash(w) & 31);
    this.surnameWords[i] = mask;
    const joined = words.join('');
    this.surnameLength[i] = joined.length;
    const at = i * HIST;
    this.letters.fill(0, at, at + HIST);
    for (let k = 0; k < joined.length; k++) {
      const bucket = at + (joined.charCodeAt(k) & (HIST - 1));
      const count = this.letters[bucket]!;
      if (count < 255) this.letters[bucket] = count + 1;
    }
  }

  private grow(): void {
    const n = this.lines.length * 2;
    const widen = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.lines = widen(this.lines);
    this.gender = widen(this.gender);
    this.email = widen(this.email);
    this.phone = widen(this.phone);
    this.surnameWords = widen(this.surnameWords);
    this.surnameLength = widen(this.surnameLength);
    const letters = new Uint8Array(n * HIST);
    letters.set(this.letters);
    this.letters = letters;
  }
}
