// Small formatters for patient fields as front-desk staff read them.
import type { Patient } from '@patients/core';
import { fieldWords } from './fields';

/** US numbers as (212) 555-0101; anything else (E.164) as stored. */
export function formatPhone(phone: string | null): string {
  if (!phone) return '—';
  const m = /^(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : phone;
}

/** The patient's name with the preferred name, as staff say it: `Jonathan Smith ("Jon")`. */
export function displayName(p: Pick<Patient, 'first_name' | 'last_name' | 'preferred_name'>): string {
  const name = `${p.first_name} ${p.last_name}`;
  return p.preferred_name && p.preferred_name !== p.first_name ? `${name} ("${p.preferred_name}")` : name;
}

/**
 * Whether the patient is in the practice's health record system yet (SPEC 1: insertion), in front-desk
 * words: the system's name and record number are for administrators, not for the desk.
 */
export function insertionStatus(p: Pick<Patient, 'foreign_id_type'>): string {
  return p.foreign_id_type === 'nex'
    ? "not yet in the practice's records (added at the first booking)"
    : "already in the practice's records";
}

/** A demographic field as a sentence says it ("phone number"). */
export function fieldLabel(field: string): string {
  return fieldWords(field);
}

/** Names joined for a sentence: "email, phone number and gender". */
export function andList(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
