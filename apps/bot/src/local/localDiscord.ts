// Runs the bot with no Discord: a discord.js Client that never logs in, with its REST base pointed at the
// stand-in (discordStandIn.ts). Interactions are built from raw payloads and go through discord.js's own
// gateway path (the InteractionCreate action), so command code receives the same objects it gets in
// production, and every answer is a real REST call the stand-in records.
//
// Why this rather than an interaction-like interface that a console adapter implements: with an interface,
// the console would test the adapter, not the bot; discord.js's serialisation (flags, embeds, components),
// its "already replied" rules and its REST calls would be bypassed. Here the only thing simulated is
// Discord itself, and it is the same simulation the integration tests check.
import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
} from 'discord.js';
import { handleInteraction } from '../bot';
import { commandDefinitions } from '../commands';
import type { BotContext } from '../context';
import { type Definition, optionsOf } from './commandLine';
import { type DiscordStandIn, type RecordedRequest, snowflake, startDiscordStandIn } from './discordStandIn';
import {
  type Actor,
  autocompletePayload,
  buttonPayload,
  chatInputPayload,
  modalSubmitPayload,
  type Place,
} from './payloads';

export interface Outcome {
  interactionId: string;
  /** The requests discord.js made to answer this interaction, in order. */
  requests: RecordedRequest[];
  /** The callback Discord got (type 4 reply, 5 deferred, 6 deferred update, 7 update, 8 autocomplete). */
  callback: { type: number; data?: Record<string, unknown> } | undefined;
  /** The message this interaction shows now: its reply, or the message it updated. */
  message: APIMessage | undefined;
  followUps: APIMessage[];
  /** The form the bot asked Discord to show (callback type 9), if it answered with one. */
  modal: APIModalInteractionResponseCallbackData | undefined;
}

/** A form's text inputs: id, label, whether required, the value it opens with. */
export function modalInputs(
  modal: APIModalInteractionResponseCallbackData,
): Array<{ id: string; label: string; required: boolean; value: string; placeholder: string }> {
  return modal.components.flatMap((row) =>
    ((row as { components?: Array<Record<string, unknown>> }).components ?? []).map((c) => ({
      id: String(c.custom_id),
      label: String(c.label ?? c.custom_id),
      required: c.required !== false,
      value: typeof c.value === 'string' ? c.value : '',
      placeholder: typeof c.placeholder === 'string' ? c.placeholder : '',
    })),
  );
}

interface InteractionCreateAction {
  handle(data: unknown): void;
}

export class LocalDiscord {
  readonly definitions: Definition[] = commandDefinitions();
  readonly #commandIds = new Map(this.definitions.map((d) => [d.name, snowflake()]));

  private constructor(
    readonly client: Client,
    readonly standIn: DiscordStandIn,
    readonly place: Place,
    private readonly ctx: BotContext,
  ) {}

  static async start(ctx: BotContext, place: Partial<Place> = {}): Promise<LocalDiscord> {
    const full: Place = {
      applicationId: place.applicationId ?? snowflake(),
      channelId: place.channelId ?? snowflake(),
    };
    const standIn = await startDiscordStandIn(full);
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: standIn.apiBase, retries: 0 },
    });
    return new LocalDiscord(client, standIn, full, ctx);
  }

  /** Builds the interaction exactly as the gateway handler does, and runs the bot's handler on it. */
  async dispatch(raw: { id: string; token: string }): Promise<Outcome> {
    const from = this.standIn.requests.length;
    let created: Interaction | undefined;
    const capture = (i: Interaction) => {
      created = i;
    };
    this.client.once(Events.InteractionCreate, capture);
    // `actions` is internal to discord.js (typed `unknown`): it is how the gateway turns payloads into objects.
    (
      this.client as unknown as { actions: { InteractionCreate: InteractionCreateAction } }
    ).actions.InteractionCreate.handle(raw);
    this.client.off(Events.InteractionCreate, capture);
    if (!created) throw new Error('discord.js did not accept the interaction payload');
    await handleInteraction(created, this.ctx);
    const callback = this.standIn.callbackOf(raw.id);
    return {
      interactionId: raw.id,
      requests: this.standIn.requests.slice(from),
      callback,
      message: this.standIn.originalOf(raw.token),
      followUps: this.standIn.followUpsOf(raw.token),
      modal:
        callback?.type === 9
          ? (callback.data as unknown as APIModalInteractionResponseCallbackData)
          : undefined,
    };
  }

  definition(command: string): Definition {
    const def = this.definitions.find((d) => d.name === command);
    if (!def) throw new Error(`no command /${command}`);
    return def;
  }

  /** `/command subcommand` with typed options, as Discord sends them. */
  command(
    actor: Actor,
    subcommand: string,
    options: APIApplicationCommandInteractionDataBasicOption[],
    command = 'patient',
  ): Promise<Outcome> {
    return this.dispatch(
      chatInputPayload(actor, this.place, {
        id: this.#commandIds.get(command)!,
        name: command,
        subcommand,
        options,
      }),
    );
  }

  /** Convenience for tests: string options as typed, integers for integer options. */
  run(
    actor: Actor,
    subcommand: string,
    values: Record<string, string | number | boolean>,
    command = 'patient',
  ): Promise<Outcome> {
    const types = new Map(optionsOf(this.definition(command), subcommand).map((o) => [o.name, o.type]));
    const options = Object.entries(values).map(([name, value]) => {
      const type = types.get(name);
      if (type === undefined) throw new Error(`/${command} ${subcommand} has no option ${name}`);
      return { name, type, value } as APIApplicationCommandInteractionDataBasicOption;
    });
    return this.command(actor, subcommand, options, command);
  }

  /** Staff typing into an autocomplete option: returns the choices the bot offered. */
  async autocomplete(
    actor: Actor,
    subcommand: string,
    focused: { name: string; value: string },
    options: APIApplicationCommandInteractionDataBasicOption[] = [],
    command = 'patient',
  ): Promise<Array<{ name: string; value: string | number }>> {
    const type =
      optionsOf(this.definition(command), subcommand).find((o) => o.name === focused.name)?.type ??
      ApplicationCommandOptionType.String;
    const outcome = await this.dispatch(
      autocompletePayload(actor, this.place, {
        id: this.#commandIds.get(command)!,
        name: command,
        subcommand,
        options,
        focused: { ...focused, type },
      }),
    );
    const data = outcome.callback?.type === 8 ? outcome.callback.data : undefined;
    return (data?.choices as Array<{ name: string; value: string | number }> | undefined) ?? [];
  }

  /** A press on a button of a message the bot sent. */
  press(actor: Actor, message: APIMessage, customId: string): Promise<Outcome> {
    const raw = buttonPayload(actor, this.place, message, customId);
    this.standIn.bindComponent(raw.id, message);
    return this.dispatch(raw);
  }

  /**
   * Staff fill in a form the bot showed and send it: `values` by input id; inputs not given keep the value
   * the form opened with (as Discord sends every input, empty ones as "").
   */
  submitModal(
    actor: Actor,
    modal: APIModalInteractionResponseCallbackData,
    values: Record<string, string>,
  ): Promise<Outcome> {
    const all = Object.fromEntries(modalInputs(modal).map((i) => [i.id, values[i.id] ?? i.value]));
    for (const id of Object.keys(values))
      if (!(id in all)) throw new Error(`the form ${modal.custom_id} has no input ${id}`);
    return this.dispatch(modalSubmitPayload(actor, this.place, modal.custom_id, all));
  }

  async close(): Promise<void> {
    await this.client.destroy();
    await this.standIn.close();
  }
}
