// The REST response envelope (SPEC 2): every body, success or error, has this shape.
import { z } from 'zod';

export function envelope<T extends z.ZodType>(data: T) {
  return z.object({
    code: z.boolean().describe('true on success, false on error'),
    description: z.string(),
    error: z.array(z.string()).describe('empty on success; one human message per problem on error'),
    data,
    count: z.number().int().min(0).optional().describe('total matches, on list endpoints'),
  });
}

export const errorEnvelope = z
  .object({
    code: z.literal(false),
    description: z.string(),
    error: z.array(z.string()).min(1),
    data: z
      .object({
        existing: z
          .object({
            id: z.number().int().nullable(),
            foreign_id: z.string(),
            foreign_id_type: z.string(),
            reasons: z.array(z.string()),
          })
          .describe('the patient a duplicate refusal matched, and why (SPEC 4.3)'),
      })
      .nullable(),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof errorEnvelope>;

export interface Envelope<T> {
  code: boolean;
  description: string;
  error: string[];
  data: T;
  count?: number;
}

export function ok<T>(description: string, data: T, count?: number): Envelope<T> {
  return count === undefined
    ? { code: true, description, error: [], data }
    : { code: true, description, error: [], data, count };
}

export function failure(
  description: string,
  errors: string[],
  data: ErrorEnvelope['data'] = null,
): ErrorEnvelope {
  return { code: false, description, error: errors.length ? errors : [description], data };
}
