// Field names for people: "Phone number is missing", never "bio.phone_number is required" (issue 17). The
// API's messages name fields by their JSON path; every message the bot shows passes through `humanize`.

/** Each field a message may name, by its last path segment, with the words staff use for it. */
export const FIELD_LABELS: Record<string, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  middle_name: 'Middle name',
  preferred_name: 'Preferred name',
  email: 'Email',
  phone_number: 'Phone number',
  cell_phone_number: 'Cell phone',
  home_phone_number: 'Home phone',
  work_phone_number: 'Work phone',
  date_of_birth: 'Date of birth',
  gender: 'Gender',
  street_address: 'Street address',
  address_line_1: 'Address',
  address_line_2: 'Address line 2',
  city: 'City',
  state: 'State',
  zip_code: 'ZIP code',
  provider_id: 'Provider',
  patient_id: 'Patient',
  start_time: 'The time',
  end_time: 'The end time',
  note: 'The note',
  location_id: 'The location',
  q: 'The query',
};

/** A demographic field as a sentence names it: "phone number". */
export function fieldWords(field: string): string {
  const label = FIELD_LABELS[field];
  return label ? (label.startsWith('The ') ? label.slice(4) : label.toLowerCase()) : field.replace(/_/g, ' ');
}

/** A path at the start of a message: `bio.phone_number`, `patient.email`, `appt.start_time`, `email`. */
const LEADING_PATH = /^((?:[a-z_]+\.)*)([a-z_]+)(\[\d+\])? (.*)$/s;

/**
 * One API message in people's words: a leading field path becomes its label ("bio.phone_number is
 * required" → "Phone number is missing"); a path anywhere else in the sentence becomes words too.
 */
export function humanize(message: string): string {
  let out = message;
  const m = LEADING_PATH.exec(out);
  if (m && (FIELD_LABELS[m[2]!] || m[1])) {
    const label = FIELD_LABELS[m[2]!] ?? capitalise(m[2]!.replace(/_/g, ' '));
    const rest = m[4]!.replace(/^is required$/, 'is missing');
    out = `${label} ${rest}`;
  }
  // Paths inside the sentence ("... than bio.date_of_birth"): their label in lower case.
  out = out.replace(/\b(?:[a-z]+\.)+([a-z_]+)\b/g, (whole, field: string) =>
    FIELD_LABELS[field] ? fieldWords(field) : whole,
  );
  return out.replace(/\b([a-z]+_[a-z_]+)\b/g, (whole, field: string) =>
    FIELD_LABELS[field] ? fieldWords(field) : whole,
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Does a text hold an API field path (`bio.phone_number`, `appt.start_time`) or a raw field name? */
export function hasFieldPath(text: string): boolean {
  return (
    /\b(?:bio|patient|appt|provider)\.[a-z_]+\b/.test(text) ||
    /\b[a-z]+_[a-z_]+\b/.test(text.replace(/`[^`]*`/g, ''))
  );
}
