// Wraps REST handlers: parse with the core schemas, call a service, answer in the SPEC 2 envelope. Any
// error becomes an envelope with a human message; an unexpected one is a 500 that reveals nothing.
import { type Envelope, failure, issueMessages, validationError } from '@patients/core';
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { asServiceError, HTTP_STATUS, RETRY_AFTER_SECONDS } from '../errors';

export interface Reply<T> {
  status?: number;
  body: Envelope<T>;
}

/** The input, or a 400 with every problem at once: `earlier` (the query's), then the schema's. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  earlier: string[] = [],
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError([...earlier, ...issueMessages(result.error)]);
  if (earlier.length) throw validationError(earlier);
  return result.data;
}

/** An Express handler from an async function returning the envelope to send. */
export function handle<T>(fn: (req: Request, res: Response) => Promise<Reply<T>>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const reply = await fn(req, res);
      res.status(reply.status ?? 200).json(reply.body);
    } catch (err) {
      next(err);
    }
  };
}

export function sendError(res: Response, err: unknown): void {
  const refusal = asServiceError(err);
  if (refusal) {
    noteUpstreamCause(res, refusal);
    if (refusal.code === 'unavailable') res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res
      .status(HTTP_STATUS[refusal.code])
      .json(failure(refusal.description, refusal.messages, refusal.data as never));
    return;
  }
  res
    .status(500)
    .json(failure('Internal error', ['Something went wrong on our side; the request was not completed']));
}

/**
 * A 502's cause (which health record system, its status) kept for the request's log line, which is written
 * at warn with it (logging.ts): the answer to the client says what failed, the operator's log says why.
 */
export function noteUpstreamCause(res: Response, err: Error): void {
  if (err.cause && typeof err.cause === 'object' && 'connector' in err.cause) res.locals.upstream = err.cause;
}
