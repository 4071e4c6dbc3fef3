// Structured logs (pino): one line per request with method, route, status, time and a request id.
// Patient data never reaches a log line: URLs are logged without their query string (names, emails and
// phones travel there), bodies are never logged, and errors are logged by type and code only, because
// database errors quote the statement and its values.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  // Asynchronous: a request's log line never waits for a write to stderr (one system call per line was a
  // visible part of a request's cost under load); lines written while one write is in flight go together, and
  // pino flushes what is left when the process exits.
  return pino(
    { level, base: { service: 'patients-api' } },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

function pathOnly(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}

/** What may be logged of an error: its kind, never its message. */
export function safeError(err: unknown): { type: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? { type: err.name, code } : { type: err.name };
  }
  return { type: typeof err };
}

export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      req: (req: IncomingMessage & { id?: string; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOnly(req.url),
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: safeError,
    },
    // A health record system that failed (502) is the operator's to look at: warn, with its cause. Other
    // 5xx are our faults (error); 4xx are the caller's (info, like every answer).
    customLogLevel: (_req, res, err) =>
      res.statusCode === 502 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info',
    customErrorObject: (_req, res, _err, value) => {
      const upstream = (res as ServerResponse & { locals?: { upstream?: unknown } }).locals?.upstream;
      return upstream ? { ...value, upstream } : value;
    },
    customSuccessMessage: (req, res) => `${req.method} ${pathOnly(req.url)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOnly(req.url)} ${res.statusCode}`,
    customAttributeKeys: { responseTime: 'ms' },
  });
}
