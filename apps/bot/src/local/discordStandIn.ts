// A small stand-in for the part of Discord's REST API a bot uses to answer interactions and to deploy
// commands. It records every request and keeps the messages it was asked to create or edit, so tests can
// check exactly what Discord would receive and the console can print what staff would see.
// Used by the integration tests and by `npm run bot:console` (one harness: what the console shows is what
// the tests check).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIMessage } from 'discord.js';

export interface RecordedRequest {
  method: string;
  /** Path below the API version, e.g. `/interactions/1/tok/callback`. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
}

export interface InteractionCallback {
  type: number;
  data?: Record<string, unknown>;
}

export interface DiscordStandIn {
  /** The REST base to give discord.js (`rest.api`), like `https://discord.com/api`. */
  readonly apiBase: string;
  readonly requests: RecordedRequest[];
  /** The answer Discord got for an interaction, by interaction id. */
  callbackOf(interactionId: string): InteractionCallback | undefined;
  /** The message an interaction token's `@original` refers to now. */
  originalOf(token: string): APIMessage | undefined;
  followUpsOf(token: string): APIMessage[];
  message(id: string): APIMessage | undefined;
  /** Tells the stand-in which message a component interaction was pressed on (Discord knows; it is in the payload). */
  bindComponent(interactionId: string, message: APIMessage): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  applicationId: string;
  channelId: string;
  /** The bot token Discord takes (`Bot <token>`); any token when not given. */
  token?: string;
  /** The servers the bot is in, with their roles (what the start-up checks ask about). */
  guilds?: Array<{ id: string; name: string; roles: Array<{ id: string; name: string }> }>;
}

/** Snapshots, so a message a caller holds is what it saw then (as a Discord client's copy would be). */
function copy(message: APIMessage | undefined): APIMessage | undefined {
  return message === undefined ? undefined : structuredClone(message);
}

let sequence = 0n;
/** A snowflake-shaped id: milliseconds since Discord's epoch, then a counter. */
export function snowflake(): string {
  sequence = (sequence + 1n) & 0x3fffffn;
  return ((BigInt(Date.now() - 1_420_070_400_000) << 22n) | sequence).toString();
}

const MESSAGE_FIELDS = ['content', 'embeds', 'components', 'flags'] as const;

export async function startDiscordStandIn(options: StandInOptions): Promise<DiscordStandIn> {
  const requests: RecordedRequest[] = [];
  const callbacks = new Map<string, InteractionCallback>();
  const messages = new Map<string, APIMessage>();
  const originals = new Map<string, string>();
  const followUps = new Map<string, string[]>();
  const componentMessages = new Map<string, string>();

  function newMessage(fields: Record<string, unknown>): APIMessage {
    const message = {
      id: snowflake(),
      type: 0,
      channel_id: options.channelId,
      application_id: options.applicationId,
      webhook_id: options.applicationId,
      author: {
        id: options.applicationId,
        username: 'patients',
        discriminator: '0000',
        global_name: null,
        avatar: null,
        bot: true,
      },
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
    } as unknown as APIMessage;
    applyEdit(message, fields);
    messages.set(message.id, message);
    return message;
  }

  function applyEdit(message: APIMessage, fields: Record<string, unknown>): void {
    const target = message as unknown as Record<string, unknown>;
    for (const key of MESSAGE_FIELDS) if (fields[key] !== undefined) target[key] = fields[key];
  }

  function handle(req: RecordedRequest): { status: number; body?: unknown } {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    // POST /interactions/:id/:token/callback
    if (
      req.method === 'POST' &&
      parts[0] === 'interactions' &&
      parts[3] === 'callback' &&
      parts.length === 4
    ) {
      const [, id, token] = parts as [string, string, string];
      if (callbacks.has(id)) {
        return { status: 400, body: { code: 40060, message: 'Interaction has already been acknowledged.' } };
      }
      const callback = req.body as InteractionCallback;
      callbacks.set(id, callback);
      const data = callback.data ?? {};
      switch (callback.type) {
        case 4: // ChannelMessageWithSource
          originals.set(token, newMessage(data).id);
          break;
        case 5: // DeferredChannelMessageWithSource: "the bot is thinking", the message comes by edit
          originals.set(token, newMessage({ flags: data.flags ?? 0 }).id);
          break;
        case 6: // DeferredMessageUpdate
        case 7: {
          // UpdateMessage
          const bound = componentMessages.get(id);
          if (!bound) return { status: 400, body: { code: 50035, message: 'Not a component interaction' } };
          originals.set(token, bound);
          if (callback.type === 7) applyEdit(messages.get(bound)!, data);
          break;
        }
        case 8: // ApplicationCommandAutocompleteResult
        case 9: // Modal: the form is Discord's to show; its submit comes as a new interaction
          break;
        default:
          return {
            status: 400,
            body: { code: 50035, message: `Unsupported callback type ${callback.type}` },
          };
      }
      return { status: 204 };
    }
    // /webhooks/:app/:token[/messages/:message]
    if (parts[0] === 'webhooks' && parts.length >= 3) {
      const token = parts[2]!;
      if (parts.length === 3 && req.method === 'POST') {
        const message = newMessage(req.body as Record<string, unknown>);
        followUps.set(token, [...(followUps.get(token) ?? []), message.id]);
        return { status: 200, body: message };
      }
      if (parts.length === 5 && parts[3] === 'messages') {
        const id = parts[4] === '@original' ? originals.get(token) : parts[4];
        const message = id === undefined ? undefined : messages.get(id);
        if (!message) return { status: 404, body: { code: 10008, message: 'Unknown Message' } };
        if (req.method === 'GET') return { status: 200, body: message };
        if (req.method === 'PATCH') {
          applyEdit(message, req.body as Record<string, unknown>);
          (message as { edited_timestamp: string | null }).edited_timestamp = new Date().toISOString();
          return { status: 200, body: message };
        }
        if (req.method === 'DELETE') {
          messages.delete(message.id);
          return { status: 204 };
        }
      }
    }
    // What a bot asks at start: its application, a server it is in, the server's roles.
    if (req.method === 'GET') {
      if (options.token !== undefined && req.authorization !== `Bot ${options.token}`)
        return { status: 401, body: { code: 0, message: '401: Unauthorized' } };
      if (parts[0] === 'applications' && parts[1] === '@me' && parts.length === 2)
        return { status: 200, body: { id: options.applicationId, name: 'patients', bot_public: false } };
      if (parts[0] === 'guilds' && (parts.length === 2 || (parts.length === 3 && parts[2] === 'roles'))) {
        const guild = options.guilds?.find((g) => g.id === parts[1]);
        if (!guild) return { status: 403, body: { code: 50001, message: 'Missing Access' } };
        return { status: 200, body: parts.length === 2 ? { id: guild.id, name: guild.name } : guild.roles };
      }
    }
    // PUT /applications/:app/guilds/:guild/commands
    if (
      req.method === 'PUT' &&
      parts[0] === 'applications' &&
      parts[2] === 'guilds' &&
      parts[4] === 'commands'
    ) {
      if (!req.authorization?.startsWith('Bot '))
        return { status: 401, body: { code: 0, message: '401: Unauthorized' } };
      const body = req.body as Array<Record<string, unknown>>;
      return {
        status: 200,
        body: body.map((c) => ({
          id: snowflake(),
          application_id: parts[1],
          guild_id: parts[3],
          version: snowflake(),
          type: 1,
          default_member_permissions: null,
          nsfw: false,
          ...c,
        })),
      };
    }
    return { status: 404, body: { code: 0, message: '404: Not Found' } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname.replace(/^\/api\/v\d+/, ''),
        query: Object.fromEntries(url.searchParams),
        authorization: req.headers.authorization,
        body,
      };
      requests.push(recorded);
      const { status, body: out } = handle(recorded);
      res.writeHead(status, out === undefined ? {} : { 'content-type': 'application/json' });
      res.end(out === undefined ? undefined : JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    requests,
    callbackOf: (id) => callbacks.get(id),
    originalOf: (token) => {
      const id = originals.get(token);
      return id === undefined ? undefined : copy(messages.get(id));
    },
    followUpsOf: (token) => (followUps.get(token) ?? []).flatMap((id) => copy(messages.get(id)) ?? []),
    message: (id) => copy(messages.get(id)),
    bindComponent: (interactionId, message) => {
      if (!messages.has(message.id)) messages.set(message.id, structuredClone(message));
      componentMessages.set(interactionId, message.id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
