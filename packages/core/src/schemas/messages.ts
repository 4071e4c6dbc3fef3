// People-readable validation messages. Every message names its field by the JSON path the API spells
// ("bio.date_of_birth must not be in the future"), one per problem, so the API can put them in the
// envelope's `error` array unchanged.
import type { z } from 'zod';

/**
 * zod error map that turns an issue into a predicate ("is required", "must be a valid email address").
 * The field name is prepended by `issueMessages`, which knows the path. Installed globally by the core
 * package (see index.ts) so tRPC, REST and the CLI give the same words.
 */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.input === null) return 'must not be null';
      if (issue.expected === 'int') return 'must be a whole number';
      return `must be ${article(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array')
        return `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_format':
      if (issue.format === 'email') return 'must be a valid email address';
      if (issue.format === 'datetime') return 'must be an ISO 8601 date-time such as 2026-01-31T09:30:00Z';
      if (issue.format === 'date') return 'must be a date in the form YYYY-MM-DD';
      return `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `${issue.keys.length === 1 ? 'is not a known field' : 'are not known fields'}`;
    default:
      return undefined;
  }
};

function article(expected: string): string {
  if (expected === 'object') return 'an object';
  if (expected === 'array') return 'a list';
  return `a ${expected}`;
}

/** Wrappers that are not part of a field's JSON name: `{ patient: { last_name } }` reports `last_name`. */
const WRAPPERS = new Set(['patient', 'appt']);

/** The JSON name of the field an issue is about, as the API spells it. */
export function fieldName(path: readonly PropertyKey[]): string {
  const parts = path.map(String);
  if (parts.length > 1 && WRAPPERS.has(parts[0] ?? '')) parts.shift();
  return parts.join('.');
}

/** One human message per problem, each naming its field. */
export function issueMessages(error: { issues: readonly z.core.$ZodIssue[] }): string[] {
  const messages: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) messages.push(`${fieldName([...issue.path, key])} is not a known field`);
      continue;
    }
    const field = fieldName(issue.path);
    messages.push(field ? `${field} ${issue.message}` : issue.message);
  }
  return [...new Set(messages)];
}
