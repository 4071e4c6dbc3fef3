// The /patient command: its definition (one subcommand per file) and the dispatch to them.
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  type ModalSubmitInteraction,
  SlashCommandBuilder,
} from 'discord.js';
import type { BotContext } from '../context';
import { parseButtonId, parseModalId } from '../render/customIds';
import { EXPIRED, NOT_YOUR_BUTTONS, UNKNOWN_BUTTON } from '../render/messages';
import * as complete from './complete';
import * as register from './register';
import { replyPrivately } from './reply';
import * as search from './search';
import * as show from './show';

export const data = new SlashCommandBuilder()
  .setName('patient')
  .setDescription("Find, show, register and complete the practice's patients")
  // Server only: the bot refuses DMs anyway, this keeps the command out of DM menus.
  .setContexts(InteractionContextType.Guild)
  .addSubcommand(search.data)
  .addSubcommand(show.data)
  .addSubcommand(register.data)
  .addSubcommand(complete.data);

const subcommands = { search, show, register, complete } as const;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const name = interaction.options.getSubcommand(true);
  const sub = subcommands[name as keyof typeof subcommands];
  if (!sub) {
    await replyPrivately(interaction, {
      content: `Unknown subcommand ${name}. Please redeploy the bot's commands.`,
    });
    return;
  }
  await sub.execute(interaction, ctx);
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  if (interaction.options.getSubcommand(false) === 'register') await register.autocomplete(interaction, ctx);
  else await interaction.respond([]);
}

/** Whether a button belongs to this command. */
export function ownsButton(customId: string): boolean {
  return parseButtonId(customId) !== null;
}

export async function button(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const action = parseButtonId(interaction.customId);
  if (!action) {
    await replyPrivately(interaction, { content: UNKNOWN_BUTTON });
    return;
  }
  const found = ctx.sessions.get(action.session, interaction.user.id);
  if (found.status === 'not_owner') {
    await replyPrivately(interaction, { content: NOT_YOUR_BUTTONS });
    return;
  }
  if (found.status === 'expired') {
    // Take the stale buttons away too, so they are not pressed again.
    await interaction.update({ content: EXPIRED, embeds: [], components: [] });
    return;
  }
  const state = found.data;
  if (state.kind === 'search' && action.action === 'page') {
    await search.showPage(interaction, ctx, state.criteria, action.page, action.session, state.details);
  } else if (state.kind === 'register' && action.action !== 'page') {
    await register.handleChoice(interaction, ctx, action, action.session, state);
  } else if (state.kind === 'complete' && (action.action === 'fill' || action.action === 'cancel')) {
    await complete.handleChoice(interaction, ctx, action.action, action.session, state);
  } else {
    await replyPrivately(interaction, { content: UNKNOWN_BUTTON });
  }
}

export function ownsModal(customId: string): boolean {
  return parseModalId(customId) !== null;
}

/** A form was sent: the registration's details, or /patient complete's values. */
export async function modal(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void> {
  const action = parseModalId(interaction.customId);
  const found = action
    ? ctx.sessions.get(action.session, interaction.user.id)
    : { status: 'expired' as const };
  if (!action || found.status !== 'ok') {
    // A form kept open past the session's life (or another user's): nothing of it is used.
    await replyPrivately(interaction, {
      content:
        found.status === 'not_owner'
          ? NOT_YOUR_BUTTONS
          : 'This form has expired (forms last a few minutes). Nothing was saved; please run the command again.',
    });
    return;
  }
  const state = found.data;
  if (action.action === 'form' && state.kind === 'register-form')
    await register.submitForm(interaction, ctx, action.session, state.partial);
  else if (action.action === 'complete' && state.kind === 'complete')
    await complete.submit(interaction, ctx, action.session, state);
  else await replyPrivately(interaction, { content: UNKNOWN_BUTTON });
}
