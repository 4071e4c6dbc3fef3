// How views reach Discord: every reply is ephemeral (only the staff member who asked sees it), and an
// edit replaces the whole message so nothing from the previous state (old buttons, old embeds) lingers.
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { View } from '../render/view';

export type Repliable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export function asReply(view: View): InteractionReplyOptions & { flags: MessageFlags.Ephemeral } {
  return {
    content: view.content ?? '',
    embeds: view.embeds ?? [],
    components: view.components ?? [],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  };
}

export function asEdit(view: View): InteractionEditReplyOptions {
  return {
    content: view.content ?? '',
    embeds: view.embeds ?? [],
    components: view.components ?? [],
    allowedMentions: { parse: [] },
  };
}

/** A new ephemeral reply, used before any API call (so no defer is needed). */
export async function replyPrivately(interaction: Repliable, view: View): Promise<void> {
  await interaction.reply(asReply(view));
}

/** Acknowledge at once (Discord allows 3 seconds), privately, before calling the API. */
export async function deferPrivately(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
}

export async function showView(interaction: Repliable, view: View): Promise<void> {
  await interaction.editReply(asEdit(view));
}
