// What every command handler gets: the API client, the practice it works for, who may use it, the button
// sessions, the log, and a small cache of the practice's time zone and providers.
import type { Provider } from '@patients/core';
import { createPatientsApi, type PatientsApi } from './api';
import { type ApiConfig, DEFAULT_DATE_FORMAT, type DisplayConfig } from './config';
import { type BotLogger, jsonLogger } from './log';
import { type Display, makeDisplay } from './render/dates';
import type { NewPatient, PartialPatient } from './render/register';
import type { SearchCriteria } from './render/search';
import { SessionStore } from './sessions';

export type SessionData =
  | { kind: 'search'; criteria: SearchCriteria; details: boolean }
  /** Registration waiting for its form (modal): what the options gave. */
  | { kind: 'register-form'; partial: PartialPatient }
  | { kind: 'register'; entered: NewPatient; matchIds: number[] }
  /** /patient complete: the record and the fields it may fill. */
  | { kind: 'complete'; patientId: number; fields: string[] };

export interface Access {
  guildId: string;
  staffRoleId: string;
}

export interface BotContext {
  api: PatientsApi;
  practice: Practice;
  access: Access;
  sessions: SessionStore<SessionData>;
  log: BotLogger;
}

/** How long the practice's time zone and provider list are reused before being asked again. */
export const PRACTICE_CACHE_MS = 60_000;

/** The institution and location the bot works for, with what it needs to know about them. */
export class Practice {
  #timeZone: { value: string; at: number } | undefined;
  #providers: { value: Provider[]; at: number } | undefined;

  constructor(
    readonly subdomain: string,
    readonly locationId: number,
    private readonly api: PatientsApi,
    private readonly log: BotLogger,
    private readonly now: () => number = Date.now,
    readonly displayConfig: DisplayConfig = { dateFormat: DEFAULT_DATE_FORMAT, timeZone: undefined },
  ) {}

  /**
   * The time zone times are shown in: BOT_TIME_ZONE when set, else the location's (SPEC 6, locations.list),
   * else UTC with a warning.
   */
  async timeZone(): Promise<string> {
    if (this.displayConfig.timeZone) return this.displayConfig.timeZone;
    if (this.#timeZone && this.now() - this.#timeZone.at < PRACTICE_CACHE_MS) return this.#timeZone.value;
    const { locations } = await this.api.locations.list.query({ subdomain: this.subdomain });
    const location = locations.find((l) => l.id === this.locationId);
    if (!location)
      this.log.warn('configured location not found; showing times in UTC', { locationId: this.locationId });
    const value = location?.time_zone ?? 'UTC';
    this.#timeZone = { value, at: this.now() };
    return value;
  }

  /** How dates and times are shown in a reply, in the Discord server's language when BOT_DATE_FORMAT=locale. */
  async display(locale?: string | null): Promise<Display> {
    return makeDisplay({
      dateFormat: this.displayConfig.dateFormat,
      timeZone: await this.timeZone(),
      locale: locale ?? 'en-US',
    });
  }

  /** The location's active providers, for autocomplete and to check a chosen one. */
  async providers(): Promise<Provider[]> {
    if (this.#providers && this.now() - this.#providers.at < PRACTICE_CACHE_MS) return this.#providers.value;
    const { providers } = await this.api.providers.list.query({
      subdomain: this.subdomain,
      location_id: this.locationId,
    });
    const value = providers.filter((p) => !p.inactive);
    this.#providers = { value, at: this.now() };
    return value;
  }
}

export interface ContextOptions {
  api: ApiConfig;
  access: Access;
  display?: DisplayConfig;
  log?: BotLogger;
  /** The clock of button sessions (tests move it to make buttons stale). */
  now?: () => number;
}

export function createContext(options: ContextOptions): BotContext {
  const log = options.log ?? jsonLogger();
  const api = createPatientsApi(options.api);
  return {
    api,
    practice: new Practice(
      options.api.subdomain,
      options.api.locationId,
      api,
      log,
      options.now,
      options.display,
    ),
    access: options.access,
    sessions: new SessionStore<SessionData>(options.now),
    log,
  };
}
