// `npm run bot`: reads the configuration, logs in to Discord and answers slash commands until stopped.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { attachBot } from './bot';
import { ConfigError, readBotConfig } from './config';
import { createContext } from './context';
import { jsonLogger } from './log';

const log = jsonLogger();

let config: ReturnType<typeof readBotConfig>;
try {
  config = readBotConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// Guilds is the only intent: slash commands and buttons arrive as interactions whatever the intents, and
// the member's roles come with each interaction, so no privileged intent (members, message content) is needed.
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  ...(config.discord.apiBase ? { rest: { api: config.discord.apiBase } } : {}),
});
const ctx = createContext({
  api: config.api,
  access: { guildId: config.discord.guildId, staffRoleId: config.discord.staffRoleId },
  log,
});
attachBot(client, ctx);

client.once(Events.ClientReady, (ready) => {
  log.info('bot ready', {
    user: ready.user.tag,
    guild: config.discord.guildId,
    inGuild: ready.guilds.cache.has(config.discord.guildId),
    api: config.api.url,
  });
  if (!ready.guilds.cache.has(config.discord.guildId)) {
    log.warn('the bot is not a member of the configured server; invite it (see README)', {
      guild: config.discord.guildId,
    });
  }
});
client.on(Events.Error, (error) => log.error('discord client error', { error: error.name }));
client.on(Events.Warn, (message) => log.warn('discord client warning', { message }));
// A last line of defence: the handler catches its own errors, but the bot must never crash on one.
process.on('unhandledRejection', (reason) =>
  log.error('unhandled rejection', { error: reason instanceof Error ? reason.name : typeof reason }),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('stopping', { signal });
    void client.destroy().finally(() => process.exit(0));
  });
}

try {
  await client.login(config.discord.token);
} catch (error) {
  log.error('could not log in to Discord; check DISCORD_TOKEN', {
    error: error instanceof Error ? error.name : typeof error,
    code: (error as { code?: string }).code,
  });
  process.exit(1);
}
