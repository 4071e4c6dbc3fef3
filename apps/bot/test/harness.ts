// Integration harness: a real patients API on a temporary SQLite database, the bot's real handler, and
// discord.js interactions built from raw payloads answering to a local stand-in of Discord's REST API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DemoTenant,
  type RunningServer,
  type ServerOptions,
  seedDemo,
  startServer,
} from '@patients/api';
import type { APIMessage } from 'discord.js';
import type { DisplayConfig } from '../src/config';
import { createContext } from '../src/context';
import { type DiscordStandIn, snowflake } from '../src/local/discordStandIn';
import { LocalDiscord } from '../src/local/localDiscord';
import type { Actor } from '../src/local/payloads';
import { memoryLogger } from '../src/log';

export const GUILD_ID = '111111111111111111';
export const STAFF_ROLE_ID = '222222222222222222';

export const staff: Actor = {
  userId: '333333333333333333',
  username: 'frontdesk',
  guildId: GUILD_ID,
  roles: [STAFF_ROLE_ID],
};
export const otherStaff: Actor = {
  userId: '333333333333333334',
  username: 'hygienist',
  guildId: GUILD_ID,
  roles: [STAFF_ROLE_ID],
};
export const visitor: Actor = {
  userId: '444444444444444444',
  username: 'visitor',
  guildId: GUILD_ID,
  roles: ['555555555555555555'],
};
export const elsewhere: Actor = {
  userId: '333333333333333333',
  username: 'frontdesk',
  guildId: '666666666666666666',
  roles: [STAFF_ROLE_ID],
};
export const inDm: Actor = { userId: '333333333333333333', username: 'frontdesk', guildId: null, roles: [] };

export interface Harness {
  api: RunningServer;
  demo: DemoTenant;
  discord: LocalDiscord;
  standIn: DiscordStandIn;
  log: ReturnType<typeof memoryLogger>;
  /** Moves the clock of button sessions forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  apiUrl?: string;
  /** The API's health record system, e.g. the reference one behind a switch (test/hrsSwitch.ts). */
  connectorFor?: ServerOptions['connectorFor'];
  display?: DisplayConfig;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'patients-bot-'));
  const api = await startServer({
    databaseUrl: `file:${join(dir, 'test.sqlite')}`,
    logLevel: 'silent',
    ...(options.connectorFor ? { connectorFor: options.connectorFor } : {}),
  });
  const demo = await seedDemo(api.db);
  let offset = 0;
  const log = memoryLogger();
  const ctx = createContext({
    api: { url: options.apiUrl ?? api.url, key: demo.apiKey, subdomain: 'demo', locationId: demo.locationId },
    access: { guildId: GUILD_ID, staffRoleId: STAFF_ROLE_ID },
    ...(options.display ? { display: options.display } : {}),
    log,
    now: () => Date.now() + offset,
  });
  const discord = await LocalDiscord.start(ctx, { applicationId: snowflake() });
  return {
    api,
    demo,
    discord,
    standIn: discord.standIn,
    log,
    advance: (ms) => {
      offset += ms;
    },
    async close() {
      await discord.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Text of a message: content, embed titles, descriptions, fields and footers, for assertions. */
export function textOf(message: APIMessage | undefined): string {
  if (!message) return '';
  const parts = [message.content];
  for (const e of message.embeds ?? []) {
    parts.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '');
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
  }
  return parts.filter(Boolean).join('\n');
}

export function buttonsOf(
  message: APIMessage | undefined,
): Array<{ label: string; custom_id: string; disabled: boolean }> {
  const out: Array<{ label: string; custom_id: string; disabled: boolean }> = [];
  for (const row of message?.components ?? []) {
    for (const c of (row as { components?: Array<Record<string, unknown>> }).components ?? []) {
      if (typeof c.custom_id === 'string') {
        out.push({ label: String(c.label ?? ''), custom_id: c.custom_id, disabled: c.disabled === true });
      }
    }
  }
  return out;
}
