// A small HTTP client for Open Dental's REST API on the global fetch: the key header, a timeout on every
// call, retries with backoff for reads, and Open Dental's answers turned into the connector's errors.
//
// Nothing here logs, and no message carries a key, a query string or a body we sent: an error names the
// route ("GET /patients/Simple", numbers in the path shown as ":n") and what went wrong, nothing more.
import type { z } from 'zod';
import { ConnectorMisconfigured, ConnectorRefused, ConnectorUnreachable } from '../connector';

export interface OpenDentalClientOptions {
  baseUrl: string;
  developerKey: string;
  customerKey: string;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Further attempts after the first, for calls that may be repeated. */
  retries?: number;
  /** The first backoff step; each next one doubles, up to maxDelayMs. */
  retryBaseMs?: number;
  maxDelayMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_RETRY_BASE_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 10_000;

/** Longest explanation of Open Dental's we pass on. */
const MAX_EXPLANATION = 300;

/**
 * The request may or may not have been carried out: a timeout, a dropped connection, a 5xx, or a 429 (which
 * was not carried out, but is retried the same way). Reads retry these; a write must look before it repeats.
 */
export class OpenDentalTransient extends ConnectorUnreachable {
  constructor(
    message: string,
    /** Set on 429 with a Retry-After header: how long Open Dental asked us to wait. */
    readonly retryAfterMs: number | null = null,
    status?: number,
  ) {
    super(message, status);
  }
}

type Query = Record<string, string | number | null | undefined>;

export interface OpenDentalClient {
  /** A GET, retried on transient failures; the answer is validated with `schema`. */
  get<T>(path: string, query: Query, schema: z.ZodType<T>): Promise<T>;
  /**
   * One attempt of a write (POST/PUT), never repeated here: the caller decides, after looking, whether a
   * lost answer means it must send again. Throws OpenDentalTransient when the answer was lost.
   */
  send<T>(method: 'POST' | 'PUT', path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  /** The delay before attempt `attempt + 1` (full jitter), honouring Retry-After when given. */
  backoff(attempt: number, err?: unknown): Promise<void>;
  readonly retries: number;
}

/** "GET /patients/:n/Break": the route without the query or ids, safe to put into an error. */
function route(method: string, path: string): string {
  return `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/:n')}`;
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Open Dental's 4xx explanation (a JSON string, an object with a message, or plain text), trimmed. */
function explanation(body: string): string {
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'string') text = parsed;
    else if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      const m = o.Message ?? o.message ?? o.error;
      if (typeof m === 'string') text = m;
    }
  } catch {
    // plain text
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
  text = text.replace(/[\u0000-\u001f]+/g, ' ').trim();
  if (!text) return 'no reason given';
  return text.length > MAX_EXPLANATION ? `${text.slice(0, MAX_EXPLANATION)}…` : text;
}

/** Why a fetch threw, in words without data: a timeout, or a connection that was refused or dropped. */
function failure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return 'connection dropped';
}

export function openDentalClient(options: OpenDentalClientOptions): OpenDentalClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const authorization = `ODFHIR ${options.developerKey}/${options.customerKey}`;

  async function attempt<T>(
    method: string,
    path: string,
    query: Query,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(query)) if (v != null) url.searchParams.set(k, String(v));
    const name = route(method, path);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await fetch(url, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect is reported, never followed: following one would send the keys to wherever it points.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      // The timeout covers the body too: a server that stops half-way is a lost answer, not a hang.
      text = await res.text();
    } catch (err) {
      throw new OpenDentalTransient(`Open Dental ${name}: ${failure(err, timeoutMs)}`);
    }

    if (status === 401) {
      throw new ConnectorMisconfigured(
        'Open Dental turned the developer/customer key pair away (401): the keys are wrong or were revoked; set them again with `set-connector`',
        status,
      );
    }
    if (status === 403) {
      throw new ConnectorMisconfigured(
        `Open Dental refused ${name} for these keys (403): the customer key lacks the permission; check it in Open Dental and run \`set-connector\``,
        status,
      );
    }
    if (status === 429) {
      const wait = retryAfterMs(retryAfter);
      throw new OpenDentalTransient(`Open Dental ${name}: too many requests (429)`, wait, status);
    }
    if (status >= 500)
      throw new OpenDentalTransient(`Open Dental ${name}: server error ${status}`, null, status);
    if (status >= 400) throw new ConnectorRefused(`Open Dental: ${explanation(text)}`);
    if (status >= 300 && status < 400) {
      throw new ConnectorMisconfigured(
        `Open Dental ${name}: redirected (${status}); check base_url with \`set-connector\``,
        status,
      );
    }
    if (status < 200 || status >= 300) {
      throw new ConnectorUnreachable(`Open Dental ${name}: unexpected status ${status}`, status);
    }

    let json: unknown = null;
    try {
      json = text.trim() === '' ? null : JSON.parse(text);
    } catch {
      throw new ConnectorUnreachable(`Open Dental ${name}: the answer is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // The issue's path only ("[3].PatNum"), never the value.
      const where = parsed.error.issues[0]?.path.map((p) =>
        typeof p === 'number' ? `[${p}]` : `.${String(p)}`,
      );
      throw new ConnectorUnreachable(
        `Open Dental ${name}: the answer has an unexpected shape${where?.length ? ` at ${where.join('')}` : ''}`,
      );
    }
    return parsed.data;
  }

  async function backoff(n: number, err?: unknown): Promise<void> {
    // Full jitter: anywhere between 0 and the exponential step, so clients that failed together do not
    // come back together. A Retry-After is a floor, but never beyond maxDelayMs.
    const step = Math.min(maxDelayMs, retryBaseMs * 2 ** n);
    let delay = Math.random() * step;
    const asked = err instanceof OpenDentalTransient ? err.retryAfterMs : null;
    if (asked != null) delay = Math.max(delay, Math.min(asked, maxDelayMs));
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  return {
    retries,
    backoff,
    async get(path, query, schema) {
      for (let n = 0; ; n++) {
        try {
          return await attempt('GET', path, query, undefined, schema);
        } catch (err) {
          if (!(err instanceof OpenDentalTransient)) throw err;
          if (n >= retries) {
            throw new ConnectorUnreachable(`${err.message}; gave up after ${n + 1} attempts`, err.status);
          }
          await backoff(n, err);
        }
      }
    },
    send(method, path, body, schema) {
      return attempt(method, path, {}, body, schema);
    },
  };
}
