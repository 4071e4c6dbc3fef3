// The bot's settings, read from environment variables and checked at start so a missing one is named at once.
import { z } from 'zod';

/** What each variable is, for the message that names a missing or bad one. */
export const ENV_HELP = {
  DISCORD_TOKEN: 'the bot token (Discord developer portal > your application > Bot > Reset Token)',
  DISCORD_APPLICATION_ID: 'the application id (developer portal > General Information), a number',
  DISCORD_GUILD_ID: "the practice's Discord server id (right-click the server > Copy Server ID), a number",
  DISCORD_STAFF_ROLE_ID:
    'the id of the role staff members have (Server Settings > Roles > Copy Role ID), a number',
  DISCORD_API_BASE: "Discord's REST API base, default https://discord.com/api (only for tests and proxies)",
  PATIENTS_API_URL: 'the base URL of the patients API, e.g. http://127.0.0.1:3000',
  PATIENTS_API_KEY:
    "an API key of the practice's institution (npm run admin -- create-api-key --subdomain ...)",
  PATIENTS_SUBDOMAIN: "the institution's subdomain, e.g. demo",
  PATIENTS_LOCATION_ID: "the id of the practice's location (office), a number",
} as const;
export type EnvName = keyof typeof ENV_HELP;

// An empty variable (`FOO=` in a .env file) counts as missing rather than as a value.
const required = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

const text = z.string({ error: (i) => (i.input === undefined ? 'is missing' : 'must be text') }).trim();
const snowflake = text.regex(/^\d{17,20}$/, { error: 'must be a Discord id (17 to 20 digits)' });
const httpUrl = text.refine((s) => /^https?:\/\/[^\s/]+/i.test(s) && URL.canParse(s), {
  error: 'must be an http:// or https:// URL',
});

const apiSchema = z.object({
  PATIENTS_API_URL: required(httpUrl),
  PATIENTS_API_KEY: required(text.min(1)),
  PATIENTS_SUBDOMAIN: required(
    text.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: 'must be lowercase letters, digits or dashes',
    }),
  ),
  PATIENTS_LOCATION_ID: required(text.regex(/^[1-9]\d{0,9}$/, { error: 'must be a positive whole number' })),
});

const discordSchema = z.object({
  DISCORD_TOKEN: required(text.min(1)),
  DISCORD_APPLICATION_ID: required(snowflake),
  DISCORD_GUILD_ID: required(snowflake),
  DISCORD_STAFF_ROLE_ID: required(snowflake),
  DISCORD_API_BASE: required(httpUrl).optional(),
});

export interface ApiConfig {
  url: string;
  key: string;
  subdomain: string;
  locationId: number;
}

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
}

/** A configuration problem, with a message that names every missing or bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The bot is not configured: ${problems.length === 1 ? 'a setting is' : 'some settings are'} missing or wrong.\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}\nSet them in the environment (see apps/bot/.env.example and apps/bot/README.md).`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function parse<T extends z.ZodObject>(schema: T, env: Env): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]) as EnvName;
    return `${name} ${issue.message}: ${ENV_HELP[name] ?? ''}`.trim();
  });
  throw new ConfigError(problems);
}

function parseBoth<A extends z.ZodObject, B extends z.ZodObject>(
  a: A,
  b: B,
  env: Env,
): [z.output<A>, z.output<B>] {
  // Both are checked before failing, so one start names every problem, not just the first group's.
  const problems: string[] = [];
  let left: z.output<A> | undefined;
  let right: z.output<B> | undefined;
  try {
    left = parse(a, env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  try {
    right = parse(b, env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  if (problems.length || !left || !right) throw new ConfigError(problems);
  return [left, right];
}

function toApi(e: z.output<typeof apiSchema>): ApiConfig {
  return {
    url: e.PATIENTS_API_URL,
    key: e.PATIENTS_API_KEY,
    subdomain: e.PATIENTS_SUBDOMAIN,
    locationId: Number(e.PATIENTS_LOCATION_ID),
  };
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
  const [discord, api] = parseBoth(discordSchema, apiSchema, env);
  return { discord: toDiscord(discord), api: toApi(api) };
}

/** What `npm run bot:console` needs: only the patients API, no Discord. */
export function readApiConfig(env: Env = process.env): ApiConfig {
  return toApi(parse(apiSchema, env));
}

/** What `npm run bot:deploy` needs: Discord only (token, application, server). */
export function readDeployConfig(env: Env = process.env): Omit<DiscordConfig, 'staffRoleId'> {
  const schema = discordSchema.omit({ DISCORD_STAFF_ROLE_ID: true });
  const e = parse(schema, env);
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    guildId: e.DISCORD_GUILD_ID,
    apiBase: e.DISCORD_API_BASE,
  };
}
