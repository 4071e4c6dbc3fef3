// Query strings carry only text: this maps them onto the typed inputs (numbers, booleans, lists) that
// tRPC callers send as JSON, so REST and tRPC share one schema and one set of messages.
import { z } from 'zod';

type Kind = 'number' | 'boolean' | 'number[]' | 'list' | 'other';

/** Unwraps optional/default/nullable/pipe layers to find what a field holds. */
function kindOf(schema: z.core.$ZodType): Kind {
  const def = schema._zod.def as {
    type: string;
    innerType?: z.core.$ZodType;
    in?: z.core.$ZodType;
    element?: z.core.$ZodType;
  };
  switch (def.type) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return def.element && kindOf(def.element) === 'number' ? 'number[]' : 'list';
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return def.innerType ? kindOf(def.innerType) : 'other';
    case 'pipe':
      return def.in ? kindOf(def.in) : 'other';
    default:
      return 'other';
  }
}

const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

function toNumber(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  // Only plain decimal integers or decimals become numbers; "1e3", "0x10" and "" stay text and fail.
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : v;
}

function toBoolean(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return v;
}

/**
 * Takes an object schema and returns one that accepts the same fields from a query string:
 * "42" → 42, "true"/"false" → booleans, a repeated or `name[]` parameter → a list.
 */
export function fromQueryString<T extends z.ZodObject>(schema: T) {
  return z.preprocess((raw) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    // No prototype: a key named `__proto__` or `constructor` is a key like any other (then refused as
    // unknown by a strict schema), never object machinery.
    const out: Record<string, unknown> = Object.create(null);
    for (const [rawKey, value] of Object.entries(raw)) {
      const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
      const field = Object.hasOwn(schema.shape, key) ? (schema.shape[key] as z.core.$ZodType) : undefined;
      const kind = field ? kindOf(field) : 'other';
      if (kind === 'number') out[key] = toNumber(value);
      else if (kind === 'boolean') out[key] = toBoolean(value);
      else if (kind === 'number[]')
        out[key] = (Array.isArray(value) ? value : String(value).split(',')).map(toNumber);
      else if (kind === 'list') out[key] = Array.isArray(value) ? value : [value];
      else out[key] = value;
    }
    return out;
  }, schema);
}
