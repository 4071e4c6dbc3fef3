// A patient's life before and after insertion into the health record system (SPEC 1, 4.2, 4.5, 5).

/** The foreign_id_type of a patient that lives only in this service (not yet inserted). */
export const NEX_FOREIGN_ID_TYPE = 'nex';

/** SPEC 4.5: the answer to an edit after insertion. */
export const NOT_EDITABLE_MESSAGE =
  'Patient has been inserted into the health record system and can no longer be edited through this API';

/** `new_patient`: true exactly while the patient has not been inserted (foreign_id_type is "nex"). */
export function isNewPatient(p: { foreign_id_type: string }): boolean {
  return p.foreign_id_type === NEX_FOREIGN_ID_TYPE;
}

/** Edits through the API are allowed only before insertion. */
export function isEditable(p: { foreign_id_type: string }): boolean {
  return isNewPatient(p);
}

/** Why an edit is refused (NOT_EDITABLE_MESSAGE), or null when it is allowed. */
export function editRefusal(p: { foreign_id_type: string }): string | null {
  return isEditable(p) ? null : NOT_EDITABLE_MESSAGE;
}
