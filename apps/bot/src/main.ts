// `npm run bot`: reads the settings, checks them against Discord and the patients API (startup.ts), logs in
// to Discord and answers slash commands until stopped. Every problem at start is one line on stderr and
// exit status 1, never a stack trace (SPEC 9).
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { attachBot } from './bot';
import { type BotConfig, ConfigError, readBotConfig } from './config';
import { createContext } from './context';
import { jsonLogger } from './log';
import { checkApi, checkDiscord } from './startup';

const log = jsonLogger();

function stop(lines: string[]): never {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

let config: BotConfig;
try {
  config = readBotConfig();
} catch (error) {
  if (error instanceof ConfigError) stop(error.problems);
  throw error;
}

const ctx = createContext({
  api: config.api,
  access: { guildId: config.discord.guildId, staffRoleId: config.discord.staffRoleId },
  display: config.display,
  log,
});

try {
  const [discordProblems, api] = await Promise.all([
    checkDiscord(config.discord),
    checkApi(ctx.api, config.api),
  ]);
  const problems = [...discordProblems, ...api.problems];
  if (problems.length) stop(problems);
} catch (error) {
  // An answer the checks do not know (Discord down with a 5xx, say): still one line.
  stop([`The bot could not check its settings: ${error instanceof Error ? error.message : String(error)}`]);
}

// Guilds is the only intent: slash commands and buttons arrive as interactions whatever the intents, and
// the member's roles come with each interaction, so no privileged intent (members, message content) is needed.
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  ...(config.discord.apiBase ? { rest: { api: config.discord.apiBase } } : {}),
});
attachBot(client, ctx);

client.once(Events.ClientReady, (ready) => {
  log.info('bot ready', { user: ready.user.tag, guild: config.discord.guildId, api: config.api.url });
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
  stop([
    `Discord refused the bot's login (${error instanceof Error ? error.name : typeof error}); check DISCORD_TOKEN (see apps/bot/README.md, "Set up Discord")`,
  ]);
}
