// Every interaction enters here: the access rule (configured server, staff role; SPEC 10) is checked
// before any command code runs, and a safety net turns any failure into a short polite answer, so an
// interaction is never left unanswered and the bot never crashes on one.
import {
  type APIInteractionGuildMember,
  type AutocompleteInteraction,
  type Client,
  Events,
  type GuildMember,
  type Interaction,
} from 'discord.js';
import { asActingUser } from './actingUser';
import { classifyApiError, logFieldsOf } from './api';
import { commands, commandsByName } from './commands';
import { asEdit, asReply, type Repliable } from './commands/reply';
import type { Access, BotContext } from './context';
import { apiFailureMessage, NOT_IN_GUILD, NOT_STAFF, UNKNOWN_BUTTON } from './render/messages';

function rolesOf(member: GuildMember | APIInteractionGuildMember | null): readonly string[] {
  if (!member) return [];
  // Without the member cached (the bot asks for no member intent), the interaction carries the raw roles.
  if (Array.isArray(member.roles)) return member.roles;
  return [...(member as GuildMember).roles.cache.keys()];
}

export type Refusal = 'not_in_guild' | 'not_staff';

/** Why this interaction may not use the bot, or null when it may. */
export function refusalFor(interaction: Interaction, access: Access): Refusal | null {
  if (!interaction.inGuild() || interaction.guildId !== access.guildId) return 'not_in_guild';
  if (!rolesOf(interaction.member).includes(access.staffRoleId)) return 'not_staff';
  return null;
}

function describe(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) {
    const sub = interaction.options.getSubcommand(false);
    return `/${interaction.commandName}${sub ? ` ${sub}` : ''}`;
  }
  if (interaction.isAutocomplete()) return `autocomplete /${interaction.commandName}`;
  if (interaction.isButton()) return `button ${interaction.customId.split(':').slice(0, 2).join(':')}`;
  if (interaction.isModalSubmit()) return `form ${interaction.customId.split(':').slice(0, 2).join(':')}`;
  return `interaction type ${interaction.type}`;
}

/** Handles one interaction; every API call it makes names its user to the API's audit log. */
export function handleInteraction(interaction: Interaction, ctx: BotContext): Promise<void> {
  return asActingUser(interaction.user, () => handle(interaction, ctx));
}

async function handle(interaction: Interaction, ctx: BotContext): Promise<void> {
  const what = describe(interaction);
  try {
    if (interaction.isAutocomplete()) {
      await autocomplete(interaction, ctx);
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) return;
    const refusal = refusalFor(interaction, ctx.access);
    if (refusal) {
      // The user id is a Discord id, not patient data; it lets an administrator see who was refused.
      ctx.log.info('refused', { interaction: interaction.id, what, refusal, user: interaction.user.id });
      await interaction.reply(asReply({ content: refusal === 'not_in_guild' ? NOT_IN_GUILD : NOT_STAFF }));
      return;
    }
    if (interaction.isChatInputCommand()) {
      const command = commandsByName.get(interaction.commandName);
      if (!command) {
        await interaction.reply(asReply({ content: `Unknown command /${interaction.commandName}.` }));
        return;
      }
      await command.execute(interaction, ctx);
      return;
    }
    if (interaction.isModalSubmit()) {
      const owner = commands.find((c) => c.ownsModal?.(interaction.customId));
      if (!owner?.modal) {
        await interaction.reply(asReply({ content: UNKNOWN_BUTTON }));
        return;
      }
      await owner.modal(interaction, ctx);
      return;
    }
    const owner = commands.find((c) => c.ownsButton?.(interaction.customId));
    if (!owner?.button) {
      await interaction.reply(asReply({ content: UNKNOWN_BUTTON }));
      return;
    }
    await owner.button(interaction, ctx);
  } catch (error) {
    ctx.log.error('interaction failed', { interaction: interaction.id, what, ...logFieldsOf(error) });
    if (interaction.isChatInputCommand() || interaction.isButton() || interaction.isModalSubmit())
      await answerFailure(interaction, error, ctx);
    else if (interaction.isAutocomplete() && !interaction.responded) {
      await interaction.respond([]).catch(() => undefined);
    }
  }
}

async function answerFailure(interaction: Repliable, error: unknown, ctx: BotContext): Promise<void> {
  const view = { content: apiFailureMessage(classifyApiError(error)) };
  try {
    if (interaction.deferred || interaction.replied) await interaction.editReply(asEdit(view));
    else await interaction.reply(asReply(view));
  } catch (second) {
    // Discord itself failed (token expired, network): nothing more can be said to the user.
    ctx.log.error('could not answer interaction', { interaction: interaction.id, ...logFieldsOf(second) });
  }
}

async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  // Autocomplete shows provider names only, but the rule is the same: outsiders get no choices.
  if (refusalFor(interaction, ctx.access)) {
    await interaction.respond([]);
    return;
  }
  const command = commandsByName.get(interaction.commandName);
  if (command?.autocomplete) await command.autocomplete(interaction, ctx);
  else await interaction.respond([]);
}

/** Wires the handler to a client. Returns a promise per interaction only to tests; the gateway ignores it. */
export function attachBot(client: Client, ctx: BotContext): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void handleInteraction(interaction, ctx);
  });
}
