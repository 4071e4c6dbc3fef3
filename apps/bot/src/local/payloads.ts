// Raw interaction payloads as Discord's gateway delivers them (discord-api-types), built for a given
// member, so tests and the console run the bot on real discord.js interaction objects.
import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIModalSubmitInteraction,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
} from 'discord.js';
import { snowflake } from './discordStandIn';

/** Who presses: a Discord user, in a server (with roles) or not (a DM: guildId null). */
export interface Actor {
  userId: string;
  username: string;
  guildId: string | null;
  roles: string[];
}

export interface Place {
  applicationId: string;
  channelId: string;
}

function user(actor: Actor): APIUser {
  return {
    id: actor.userId,
    username: actor.username,
    discriminator: '0',
    global_name: actor.username,
    avatar: null,
  };
}

function base(actor: Actor, place: Place) {
  const id = snowflake();
  const who = actor.guildId
    ? {
        guild_id: actor.guildId,
        member: {
          user: user(actor),
          roles: actor.roles,
          permissions: '0',
          joined_at: '2024-01-01T00:00:00.000Z',
          deaf: false,
          mute: false,
          flags: 0 as APIInteractionGuildMember['flags'],
        } satisfies APIInteractionGuildMember,
        guild_locale: 'en-US',
        context: 0,
      }
    : { user: user(actor), context: 1 };
  return {
    id,
    token: `tok-${id}`,
    application_id: place.applicationId,
    version: 1 as const,
    channel_id: place.channelId,
    channel: { id: place.channelId, type: actor.guildId ? 0 : 1 },
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 8_388_608,
    ...who,
  };
}

/** A subcommand of a registered command with the options the member filled in. */
interface CommandInvocation {
  id: string;
  name: string;
  subcommand: string;
  options: APIApplicationCommandInteractionDataBasicOption[];
}

export function chatInputPayload(
  actor: Actor,
  place: Place,
  command: CommandInvocation,
): APIChatInputApplicationCommandInteraction {
  const options: APIApplicationCommandInteractionDataOption[] = [
    { type: ApplicationCommandOptionType.Subcommand, name: command.subcommand, options: command.options },
  ];
  return {
    ...base(actor, place),
    type: InteractionType.ApplicationCommand,
    data: { id: command.id, name: command.name, type: ApplicationCommandType.ChatInput, options },
  } as unknown as APIChatInputApplicationCommandInteraction;
}

export function autocompletePayload(
  actor: Actor,
  place: Place,
  command: CommandInvocation & {
    focused: { name: string; type: ApplicationCommandOptionType; value: string };
  },
): APIApplicationCommandAutocompleteInteraction {
  const focused = { ...command.focused, focused: true };
  return {
    ...base(actor, place),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: command.subcommand,
          options: [...command.options.filter((o) => o.name !== focused.name), focused],
        },
      ],
    },
  } as unknown as APIApplicationCommandAutocompleteInteraction;
}

export function buttonPayload(
  actor: Actor,
  place: Place,
  message: APIMessage,
  customId: string,
): APIMessageComponentButtonInteraction {
  return {
    ...base(actor, place),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  } as unknown as APIMessageComponentButtonInteraction;
}

/** A form (modal) sent with the values the member typed, by text input id. */
export function modalSubmitPayload(
  actor: Actor,
  place: Place,
  customId: string,
  values: Record<string, string>,
): APIModalSubmitInteraction {
  return {
    ...base(actor, place),
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: customId,
      components: Object.entries(values).map(([id, value]) => ({
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.TextInput, custom_id: id, value }],
      })),
    },
  } as unknown as APIModalSubmitInteraction;
}
