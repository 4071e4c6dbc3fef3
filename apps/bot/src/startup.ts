// Start-up checks (issue 17 item 6, SPEC 9): before the bot answers anyone, what only the outside world can
// tell is asked once: Discord takes the token, the bot is in the server, the staff role exists there; the
// patients API answers at its URL, takes the key for the subdomain, and the location exists. Each problem
// is one line in the settings' form (the variable, what it holds, what is wrong, what is expected), so a
// wrong PATIENTS_LOCATION_ID is found at start, not at the first command.
import type { Location } from '@patients/core';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { classifyApiError, type PatientsApi } from './api';
import { type ApiConfig, type DiscordConfig, problemLine } from './config';

/** How long each start-up call may take. */
export const STARTUP_TIMEOUT_MS = 10_000;

/** The low-level reason a connection failed (ECONNREFUSED, ENOTFOUND), from a fetch error's causes. */
function networkCause(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code;
    if (e instanceof Error && e.name === 'TimeoutError') return `no answer in ${STARTUP_TIMEOUT_MS / 1000} s`;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface ApiCheck {
  problems: string[];
  location?: Location;
}

/** The patients API answers, takes the key for the subdomain, and has the location. */
export async function checkApi(api: PatientsApi, config: ApiConfig): Promise<ApiCheck> {
  let locations: Location[];
  try {
    ({ locations } = await api.locations.list.query(
      { subdomain: config.subdomain },
      { signal: AbortSignal.timeout(STARTUP_TIMEOUT_MS) },
    ));
  } catch (error) {
    const failure = classifyApiError(error);
    const cause = networkCause(error);
    switch (failure?.kind) {
      case 'credentials':
        return {
          problems: [
            failure.status === 401
              ? problemLine('PATIENTS_API_KEY', config.key, `the patients API at ${config.url} refused it`)
              : problemLine(
                  'PATIENTS_SUBDOMAIN',
                  config.subdomain,
                  'the API key is not of that institution, or there is no such institution',
                ),
          ],
        };
      case 'server':
        return {
          problems: [
            problemLine('PATIENTS_API_URL', config.url, `the patients API there answered ${failure.status}`),
          ],
        };
      case 'not_found':
      case 'refused':
        return {
          problems: [
            problemLine(
              'PATIENTS_API_URL',
              config.url,
              `what answers there is not the patients API (${failure.status})`,
            ),
          ],
        };
      default:
        return {
          problems: [
            problemLine(
              'PATIENTS_API_URL',
              config.url,
              `no patients API answers there${cause ? ` (${cause})` : ''}; is it started (npm start)?`,
            ),
          ],
        };
    }
  }
  const location = locations.find((l) => l.id === config.locationId);
  if (!location) {
    const known = locations.map((l) => `${l.id} (${l.name})`).join(', ') || 'none';
    return {
      problems: [
        problemLine(
          'PATIENTS_LOCATION_ID',
          String(config.locationId),
          `institution ${config.subdomain} has no such location; its locations: ${known}`,
        ),
      ],
    };
  }
  return { problems: [], location };
}

/** Discord takes the token, it is the configured application's, the bot is in the server, the role exists. */
export async function checkDiscord(config: DiscordConfig): Promise<string[]> {
  const rest = new REST({
    version: '10',
    retries: 0,
    timeout: STARTUP_TIMEOUT_MS,
    ...(config.apiBase ? { api: config.apiBase } : {}),
  }).setToken(config.token);
  const status = (error: unknown) => (error instanceof DiscordAPIError ? error.status : undefined);
  const unreachable = (error: unknown) =>
    config.apiBase
      ? problemLine(
          'DISCORD_API_BASE',
          config.apiBase,
          `Discord's API does not answer there (${networkCause(error) ?? 'no answer'})`,
        )
      : `Discord cannot be reached (${networkCause(error) ?? 'no answer'}); check this machine's network and try again`;

  let application: { id: string };
  try {
    application = (await rest.get(Routes.currentApplication())) as { id: string };
  } catch (error) {
    if (status(error) === 401) return [problemLine('DISCORD_TOKEN', config.token, 'Discord refused it')];
    if (status(error) === undefined) return [unreachable(error)];
    throw error;
  }
  const problems: string[] = [];
  if (application.id !== config.applicationId) {
    problems.push(
      problemLine(
        'DISCORD_APPLICATION_ID',
        config.applicationId,
        `the token is of application ${application.id}`,
      ),
    );
  }
  let guild: { name: string };
  try {
    guild = (await rest.get(Routes.guild(config.guildId))) as { name: string };
  } catch (error) {
    const s = status(error);
    if (s === 403 || s === 404) {
      problems.push(
        problemLine(
          'DISCORD_GUILD_ID',
          config.guildId,
          'the bot is not in that server (invite it: README, "Set up Discord", step 3), or there is no such server',
        ),
      );
      return problems;
    }
    if (s === undefined) return [...problems, unreachable(error)];
    throw error;
  }
  const roles = (await rest.get(Routes.guildRoles(config.guildId))) as Array<{ id: string; name: string }>;
  if (!roles.some((r) => r.id === config.staffRoleId)) {
    problems.push(
      problemLine(
        'DISCORD_STAFF_ROLE_ID',
        config.staffRoleId,
        `the server "${guild.name}" has no role with that id`,
      ),
    );
  }
  return problems;
}
