// `npm run bot:deploy`: registers the slash commands in the practice's server through Discord's REST API.
// Guild commands (not global ones) appear at once and only in that server.
import { pathToFileURL } from 'node:url';
import { REST, type RESTPutAPIApplicationGuildCommandsResult, Routes } from 'discord.js';
import { commandDefinitions } from './commands';
import { ConfigError, readDeployConfig } from './config';

export interface DeployOptions {
  token: string;
  applicationId: string;
  guildId: string;
  /** Discord's REST base as discord.js takes it (`https://discord.com/api`); tests point it at a stand-in. */
  apiBase?: string | undefined;
}

export async function deployCommands(
  options: DeployOptions,
): Promise<RESTPutAPIApplicationGuildCommandsResult> {
  const { apiBase } = options;
  const rest = new REST({ version: '10', ...(apiBase ? { api: apiBase } : {}) }).setToken(options.token);
  return (await rest.put(Routes.applicationGuildCommands(options.applicationId, options.guildId), {
    body: commandDefinitions(),
  })) as RESTPutAPIApplicationGuildCommandsResult;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const config = readDeployConfig();
    const deployed = await deployCommands(config);
    console.log(
      `Deployed ${deployed.length} command${deployed.length === 1 ? '' : 's'} to server ${config.guildId}: ${deployed.map((c) => `/${c.name}`).join(', ')}`,
    );
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else
      console.error(
        `Could not deploy the commands: ${error instanceof Error ? error.message : String(error)}`,
      );
    process.exit(1);
  }
}
