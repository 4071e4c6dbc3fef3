// The loader: every slash command the bot has, by name. Deploy and dispatch both read this list.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../context';
import * as appointment from './appointment';
import * as patient from './patient';

export interface SlashCommand {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  ownsButton?(customId: string): boolean;
  button?(interaction: ButtonInteraction, ctx: BotContext): Promise<void>;
  ownsModal?(customId: string): boolean;
  modal?(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void>;
}

export const commands: readonly SlashCommand[] = [patient, appointment];

export const commandsByName: ReadonlyMap<string, SlashCommand> = new Map(
  commands.map((c) => [c.data.name, c]),
);

/** The definitions Discord is told about (PUT applications/:app/guilds/:guild/commands). */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => c.data.toJSON());
}
