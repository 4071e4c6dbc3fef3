// Start-up checks and settings that fail fast (issue 17 item 6, SPEC 9): the checks against a real API and
// the Discord stand-in, then the real programs (`npm run bot`, `npm run bot:console`) started with bad
// settings: exit status 1, one line per problem on stderr, no stack trace.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientsApi } from '../src/api';
import type { ApiConfig, DiscordConfig } from '../src/config';
import { type DiscordStandIn, startDiscordStandIn } from '../src/local/discordStandIn';
import { checkApi, checkDiscord } from '../src/startup';
import { GUILD_ID, type Harness, STAFF_ROLE_ID, startHarness } from './harness';

const APP_ID = '123456789012345678';
const TOKEN = 'the-right-token';
let h: Harness;
let discord: DiscordStandIn;
let closedPort: number;

beforeAll(async () => {
  h = await startHarness();
  discord = await startDiscordStandIn({
    applicationId: APP_ID,
    channelId: '1',
    token: TOKEN,
    guilds: [
      { id: GUILD_ID, name: 'Main Street Dental', roles: [{ id: STAFF_ROLE_ID, name: 'Front desk' }] },
    ],
  });
  // A port nothing listens on: open one, note it, close it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  await discord?.close();
  await h?.close();
});

const apiConfig = (over: Partial<ApiConfig> = {}): ApiConfig => ({
  url: h.api.url,
  key: h.demo.apiKey,
  subdomain: 'demo',
  locationId: h.demo.locationId,
  ...over,
});
const apiCheck = (over: Partial<ApiConfig> = {}) => {
  const config = apiConfig(over);
  return checkApi(createPatientsApi(config), config);
};
const discordConfig = (over: Partial<DiscordConfig> = {}): DiscordConfig => ({
  token: TOKEN,
  applicationId: APP_ID,
  guildId: GUILD_ID,
  staffRoleId: STAFF_ROLE_ID,
  apiBase: discord.apiBase,
  ...over,
});

describe('the patients API check', () => {
  it('passes with the location and its time zone', async () => {
    const ok = await apiCheck();
    expect(ok.problems).toEqual([]);
    expect(ok.location).toMatchObject({ id: h.demo.locationId, time_zone: 'America/New_York' });
  });

  it('names the setting at fault, one line each', async () => {
    expect((await apiCheck({ locationId: 42 })).problems).toEqual([
      `PATIENTS_LOCATION_ID holds "42" (institution demo has no such location; its locations: ${h.demo.locationId} (Main Street Office)); expected the id of the practice's location (office), a positive whole number`,
    ]);
    expect((await apiCheck({ key: 'pk_wrongwrongwrong' })).problems).toEqual([
      `PATIENTS_API_KEY holds a value of 18 characters (the patients API at ${h.api.url} refused it); expected an API key of the practice's institution (npm run -s admin -- create-api-key --subdomain ...)`,
    ]);
    expect((await apiCheck({ subdomain: 'acme' })).problems[0]).toMatch(
      /^PATIENTS_SUBDOMAIN holds "acme" \(the API key is not of that institution, or there is no such institution\); expected/,
    );
    expect((await apiCheck({ url: `http://127.0.0.1:${closedPort}` })).problems).toEqual([
      `PATIENTS_API_URL holds "http://127.0.0.1:${closedPort}" (no patients API answers there (ECONNREFUSED); is it started (npm start)?); expected the base URL of the patients API, an http(s) URL such as http://127.0.0.1:3000`,
    ]);
    // Something answers there, but not the patients API.
    expect((await apiCheck({ url: `${discord.apiBase}/` })).problems[0]).toMatch(
      /^PATIENTS_API_URL holds ".*" \((what answers there is not the patients API|no patients API answers there)/,
    );
  });
});

describe('the Discord check', () => {
  it('passes when the token, application, server and role are right', async () => {
    expect(await checkDiscord(discordConfig())).toEqual([]);
  });

  it('names the setting at fault, never repeating the token', async () => {
    expect(await checkDiscord(discordConfig({ token: 'wrong' }))).toEqual([
      'DISCORD_TOKEN holds a value of 5 characters (Discord refused it); expected the bot token (Discord developer portal > your application > Bot > Reset Token)',
    ]);
    expect(await checkDiscord(discordConfig({ guildId: '999999999999999999' }))).toEqual([
      'DISCORD_GUILD_ID holds "999999999999999999" (the bot is not in that server (invite it: README, "Set up Discord", step 3), or there is no such server); expected the practice\'s Discord server id (right-click the server > Copy Server ID), 17 to 20 digits',
    ]);
    expect(await checkDiscord(discordConfig({ staffRoleId: '888888888888888888' }))).toEqual([
      'DISCORD_STAFF_ROLE_ID holds "888888888888888888" (the server "Main Street Dental" has no role with that id); expected the id of the role staff members have (Server Settings > Roles > Copy Role ID), 17 to 20 digits',
    ]);
    expect((await checkDiscord(discordConfig({ applicationId: '223456789012345678' })))[0]).toMatch(
      /^DISCORD_APPLICATION_ID holds "223456789012345678" \(the token is of application 123456789012345678\)/,
    );
    expect((await checkDiscord(discordConfig({ apiBase: `http://127.0.0.1:${closedPort}/api` })))[0]).toMatch(
      /^DISCORD_API_BASE holds ".*" \(Discord's API does not answer there \(ECONNREFUSED\)\)/,
    );
  });
});

const BOT_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Starts one of the bot's programs as `npm run` would (tsx), with exactly `env`, and waits for it to end. */
function run(
  program: string,
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', program], {
      cwd: BOT_DIR,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the real programs stop with one line per problem', () => {
  const discordEnv = () => ({
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_STAFF_ROLE_ID: STAFF_ROLE_ID,
    DISCORD_API_BASE: discord.apiBase,
  });
  const apiEnv = () => ({
    PATIENTS_API_URL: h.api.url,
    PATIENTS_API_KEY: h.demo.apiKey,
    PATIENTS_SUBDOMAIN: 'demo',
    PATIENTS_LOCATION_ID: String(h.demo.locationId),
  });

  it('npm run bot: bad settings, before anything is called', async () => {
    const before = discord.requests.length;
    const out = await run('src/main.ts', {
      ...discordEnv(),
      ...apiEnv(),
      DISCORD_GUILD_ID: 'my server',
      BOT_DATE_FORMAT: 'dd.mm.yyyy',
      BOT_TIME_ZONE: 'EST5',
    });
    expect(out.code).toBe(1);
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      'DISCORD_GUILD_ID holds "my server"; expected the practice\'s Discord server id (right-click the server > Copy Server ID), 17 to 20 digits',
      expect.stringMatching(
        /^BOT_DATE_FORMAT holds "dd.mm.yyyy" \("dd" is not one of YYYY, MMMM, MMM, MM, M, DD, D\); expected how dates are shown/,
      ),
      expect.stringMatching(/^BOT_TIME_ZONE holds "EST5"; expected an IANA time zone/),
    ]);
    expect(discord.requests.length).toBe(before);
  });

  it('npm run bot: a wrong token and a wrong location, found at start', async () => {
    const out = await run('src/main.ts', {
      ...discordEnv(),
      ...apiEnv(),
      DISCORD_TOKEN: 'nope',
      PATIENTS_LOCATION_ID: '77',
    });
    expect(out.code).toBe(1);
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^DISCORD_TOKEN holds a value of 4 characters \(Discord refused it\); expected/),
      expect.stringMatching(/^PATIENTS_LOCATION_ID holds "77" \(institution demo has no such location/),
    ]);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('npm run bot:console: the same checks, and strict options once started', async () => {
    const bad = await run('src/console.ts', {
      ...apiEnv(),
      PATIENTS_API_URL: `http://127.0.0.1:${closedPort}`,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^PATIENTS_API_URL holds "http:\/\/127\.0\.0\.1:\d+" \(no patients API answers there \(ECONNREFUSED\)/,
      ),
    ]);
    const missing = await run('src/console.ts', {});
    expect(missing.code).toBe(1);
    expect(
      missing.stderr
        .trimEnd()
        .split('\n')
        .map((l) => l.split(';')[0]),
    ).toEqual([
      'PATIENTS_API_URL is not set',
      'PATIENTS_API_KEY is not set',
      'PATIENTS_SUBDOMAIN is not set',
      'PATIENTS_LOCATION_ID is not set',
    ]);
    const ok = await run('src/console.ts', apiEnv(), '/patient show id:1 nickname:Jon\nexit\n');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('location 1 (Main Street Office), times in America/New_York.');
    expect(ok.stdout).toContain('/patient show has no option nickname. Options of /patient show: id.');
  });
});
