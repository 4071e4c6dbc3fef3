// The bot's settings, read from environment variables and checked once at start (SPEC 9, "Settings fail
// fast"): each bad one is one line naming the variable, what it holds and what is expected; never a stack
// trace, never a silent fallback. What only the outside world can tell (the token works, the location
// exists) is checked next, by startup.ts, in the same one-line form.
import { z } from 'zod';
import { checkDateFormat } from './render/dates';

/** What each variable should hold, for the line that names a missing or bad one. */
export const ENV_HELP = {
  DISCORD_TOKEN: 'the bot token (Discord developer portal > your application > Bot > Reset Token)',
  DISCORD_APPLICATION_ID: 'the application id (developer portal > General Information), 17 to 20 digits',
  DISCORD_GUILD_ID:
    "the practice's Discord server id (right-click the server > Copy Server ID), 17 to 20 digits",
  DISCORD_STAFF_ROLE_ID:
    'the id of the role staff members have (Server Settings > Roles > Copy Role ID), 17 to 20 digits',
  DISCORD_API_BASE:
    "Discord's REST API base, an http(s) URL such as https://discord.com/api (only for tests and proxies)",
  PATIENTS_API_URL: 'the base URL of the patients API, an http(s) URL such as http://127.0.0.1:3000',
  PATIENTS_API_KEY:
    "an API key of the practice's institution (npm run -s admin -- create-api-key --subdomain ...)",
  PATIENTS_SUBDOMAIN: "the institution's subdomain, lowercase letters, digits or dashes, e.g. demo",
  PATIENTS_LOCATION_ID: "the id of the practice's location (office), a positive whole number",
  BOT_DATE_FORMAT:
    'how dates are shown: a pattern of YYYY, MMMM, MMM, MM, M, DD, D (e.g. "MMM D, YYYY" for May 3, 1964, the default), or "locale" for the Discord server\'s language',
  BOT_TIME_ZONE: "an IANA time zone such as America/New_York (default: the location's time zone, else UTC)",
} as const;
export type EnvName = keyof typeof ENV_HELP;

/** Values never repeated back in a message (they are credentials). */
const SECRET: ReadonlySet<EnvName> = new Set(['DISCORD_TOKEN', 'PATIENTS_API_KEY']);

/** What a variable holds, as a problem line says it: the value itself, or only its length for a secret. */
export function holds(name: EnvName, value: string | undefined): string {
  if (value === undefined || value.trim() === '') return `${name} is not set`;
  if (SECRET.has(name)) return `${name} holds a value of ${value.length} characters`;
  const shown = value.length > 80 ? `${value.slice(0, 79)}…` : value;
  return `${name} holds ${JSON.stringify(shown)}`;
}

/** One problem line: the variable, what it holds, what is wrong (when more than "it is not that"), what is expected. */
export function problemLine(name: EnvName, value: string | undefined, why?: string): string {
  return `${holds(name, value)}${why ? ` (${why})` : ''}; expected ${ENV_HELP[name]}`;
}

// An empty variable (`FOO=` in a .env file) counts as missing rather than as a value.
const required = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const text = z.string().trim();
const snowflake = text.regex(/^\d{17,20}$/);
const httpUrl = text.refine((s) => /^https?:\/\/[^\s/]+/i.test(s) && URL.canParse(s));

/** Whether `zone` is a time zone this Node.js knows (Intl throws a RangeError otherwise). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const apiSchema = z.object({
  PATIENTS_API_URL: required(httpUrl),
  PATIENTS_API_KEY: required(text.min(1)),
  PATIENTS_SUBDOMAIN: required(text.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)),
  PATIENTS_LOCATION_ID: required(text.regex(/^[1-9]\d{0,9}$/)),
});

const displaySchema = z.object({
  BOT_DATE_FORMAT: optional(text.refine((s) => checkDateFormat(s) === null)),
  BOT_TIME_ZONE: optional(text.refine(isTimeZone)),
});

const discordSchema = z.object({
  DISCORD_TOKEN: required(text.min(1)),
  DISCORD_APPLICATION_ID: required(snowflake),
  DISCORD_GUILD_ID: required(snowflake),
  DISCORD_STAFF_ROLE_ID: required(snowflake),
  DISCORD_API_BASE: optional(httpUrl),
});

export interface ApiConfig {
  url: string;
  key: string;
  subdomain: string;
  locationId: number;
}

export interface DisplayConfig {
  /** A date pattern (render/dates.ts) or "locale". */
  dateFormat: string;
  /** BOT_TIME_ZONE; undefined = the location's time zone, else UTC. */
  timeZone: string | undefined;
}

export const DEFAULT_DATE_FORMAT = 'MMM D, YYYY';

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId: string;
  staffRoleId: string;
  /** REST API base as discord.js's `rest.api` option takes it; undefined = Discord itself. */
  apiBase: string | undefined;
}

export interface BotConfig {
  discord: DiscordConfig;
  api: ApiConfig;
  display: DisplayConfig;
}

export interface ConsoleConfig {
  api: ApiConfig;
  display: DisplayConfig;
}

/** The settings that are missing or wrong, one line each (printed as they are, nothing else). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Checks every schema before failing, so one start names every problem, not just the first group's. */
function parseAll<S extends readonly z.ZodObject[]>(
  schemas: S,
  env: Env,
): { [K in keyof S]: z.output<S[K]> } {
  const problems: string[] = [];
  const out: unknown[] = [];
  for (const schema of schemas) {
    const result = schema.safeParse(env);
    if (result.success) {
      out.push(result.data);
      continue;
    }
    const named = new Set<string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0]) as EnvName;
      if (named.has(name)) continue;
      named.add(name);
      problems.push(
        problemLine(name, env[name], name === 'BOT_DATE_FORMAT' ? dateFormatWhy(env[name]) : undefined),
      );
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out as { [K in keyof S]: z.output<S[K]> };
}

function dateFormatWhy(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (checkDateFormat(value.trim()) ?? undefined);
}

function toApi(e: z.output<typeof apiSchema>): ApiConfig {
  return {
    url: e.PATIENTS_API_URL,
    key: e.PATIENTS_API_KEY,
    subdomain: e.PATIENTS_SUBDOMAIN,
    locationId: Number(e.PATIENTS_LOCATION_ID),
  };
}

function toDisplay(e: z.output<typeof displaySchema>): DisplayConfig {
  return { dateFormat: e.BOT_DATE_FORMAT ?? DEFAULT_DATE_FORMAT, timeZone: e.BOT_TIME_ZONE };
}

function toDiscord(e: z.output<typeof discordSchema>): DiscordConfig {
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    guildId: e.DISCORD_GUILD_ID,
    staffRoleId: e.DISCORD_STAFF_ROLE_ID,
    apiBase: e.DISCORD_API_BASE,
  };
}

/** Everything `npm run bot` needs. */
export function readBotConfig(env: Env = process.env): BotConfig {
  const [discord, api, display] = parseAll([discordSchema, apiSchema, displaySchema] as const, env);
  return { discord: toDiscord(discord), api: toApi(api), display: toDisplay(display) };
}

/** What `npm run bot:console` needs: the patients API and how to show dates, no Discord. */
export function readConsoleConfig(env: Env = process.env): ConsoleConfig {
  const [api, display] = parseAll([apiSchema, displaySchema] as const, env);
  return { api: toApi(api), display: toDisplay(display) };
}

/** The patients API settings alone. */
export function readApiConfig(env: Env = process.env): ApiConfig {
  return readConsoleConfig(env).api;
}

/** What `npm run bot:deploy` needs: Discord only (token, application, server). */
export function readDeployConfig(env: Env = process.env): Omit<DiscordConfig, 'staffRoleId'> {
  const [e] = parseAll([discordSchema.omit({ DISCORD_STAFF_ROLE_ID: true })] as const, env);
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    guildId: e.DISCORD_GUILD_ID,
    apiBase: e.DISCORD_API_BASE,
  };
}
