// `npm run bot:console`: try every command with no Discord at all, against a running patients API.
//   npm run -s bot:console                                     interactive prompt
//   npm run -s bot:console -- "/patient search name:Jon Smith"  one command (then pick buttons by number)
//   npm run -s bot:console -- "/patient register ..." 1         one command, then press button 1
// The commands run through the same command files, the same handler and the same discord.js objects as
// the real bot (see local/localDiscord.ts for why); only Discord is replaced, by a local stand-in.
import { createInterface, type Interface } from 'node:readline';
import type { APIApplicationCommandInteractionDataBasicOption, APIMessage } from 'discord.js';
import { ConfigError, type ConsoleConfig, readConsoleConfig } from './config';
import { createContext } from './context';
import { optionsOf, parseCommandLine, resolveOptions } from './local/commandLine';
import { LocalDiscord, modalInputs, type Outcome } from './local/localDiscord';
import type { Actor } from './local/payloads';
import { messageText } from './local/text';
import type { BotLogger, LogFields } from './log';
import { checkApi } from './startup';

// The console plays a staff member of the configured server.
const CONSOLE_GUILD = '100000000000000001';
const CONSOLE_STAFF_ROLE = '100000000000000002';
const actor: Actor = {
  userId: '100000000000000003',
  username: 'console',
  guildId: CONSOLE_GUILD,
  roles: [CONSOLE_STAFF_ROLE],
};

const logToStderr: BotLogger = {
  info: () => undefined,
  warn: (m: string, f?: LogFields) =>
    process.stderr.write(`(bot log, warning) ${m} ${JSON.stringify(f ?? {})}\n`),
  error: (m: string, f?: LogFields) =>
    process.stderr.write(`(bot log, error) ${m} ${JSON.stringify(f ?? {})}\n`),
};

/** A problem at start: one line each on stderr, exit status 1, no stack trace (SPEC 9). */
function stop(lines: string[]): never {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

let settings: ConsoleConfig;
try {
  settings = readConsoleConfig();
} catch (error) {
  if (error instanceof ConfigError) stop(error.problems);
  throw error;
}
const config = settings.api;

const ctx = createContext({
  api: config,
  access: { guildId: CONSOLE_GUILD, staffRoleId: CONSOLE_STAFF_ROLE },
  display: settings.display,
  log: logToStderr,
});
// The same start-up checks as the bot's, for the patients API (the console needs no Discord).
const checked = await checkApi(ctx.api, config);
if (checked.problems.length) stop(checked.problems);
const location = checked.location!;
const discord = await LocalDiscord.start(ctx);
let rl: Interface | undefined;
let lines: AsyncIterator<string> | undefined;
const interactive = process.stdin.isTTY === true;
/**
 * Asks and waits for one line; null when input ends. One line iterator for the whole session, so piped
 * input (a script of commands) is read line by line rather than lost between questions.
 */
async function ask(question: string): Promise<string | null> {
  if (!lines) {
    rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
    lines = rl[Symbol.asyncIterator]();
  }
  process.stdout.write(question);
  const next = await lines.next();
  if (next.done) return null;
  if (!interactive) process.stdout.write(`${next.value}\n`);
  return next.value;
}

/** The message staff are looking at, whose buttons a number presses. */
let current: APIMessage | undefined;

function show(outcome: Outcome): void {
  const shown = outcome.message ?? outcome.followUps.at(-1);
  if (!shown) {
    console.log('(the bot did not answer)');
    return;
  }
  const { text } = messageText(shown);
  console.log(text);
  for (const f of outcome.message ? outcome.followUps : []) console.log(messageText(f).text);
  current = shown;
}

/**
 * A form the bot showed (a Discord modal): each input is asked on its own line, Enter keeps what it opened
 * with (or leaves it empty), and the form is sent, as Discord would, to the bot.
 */
async function settle(outcome: Outcome): Promise<void> {
  let next = outcome;
  while (next.modal) {
    const modal = next.modal;
    console.log(`── form: ${modal.title} (Enter leaves a field as shown) ──`);
    const values: Record<string, string> = {};
    for (const input of modalInputs(modal)) {
      const hint = input.value
        ? ` [${input.value}]`
        : input.placeholder
          ? ` (e.g. ${input.placeholder})`
          : '';
      const answer = await ask(`${input.label}${hint}: `);
      if (answer === null) {
        console.log('(the form was closed without sending it)');
        return;
      }
      values[input.id] = answer.trim() === '' ? input.value : answer.trim();
    }
    next = await discord.submitModal(actor, modal, values);
  }
  show(next);
}

function help(): string {
  const lines = ['Commands (options are name:value; the order does not matter):'];
  for (const def of discord.definitions) {
    for (const sub of def.options ?? []) {
      const opts = optionsOf(def, sub.name)
        .map((o) => (o.required ? `${o.name}:…` : `[${o.name}:…]`))
        .join(' ');
      lines.push(`  /${def.name} ${sub.name} ${opts}`);
    }
  }
  lines.push(
    'Examples:',
    '  /patient search name:Jon Smith',
    '  /patient show id:1',
    '  /patient register first_name:Ann last_name:Lee date_of_birth:7/4/1990 gender:Female provider:Chen   (a form asks for email and phone)',
    '  /patient complete id:14',
    '  /appointment book patient:Ann Lee provider:Chen when:tomorrow 9:30am',
    '  /appointment list day:tomorrow',
    'A number presses that button of the last reply. "help" shows this, "exit" leaves.',
  );
  return lines.join('\n');
}

/** An autocomplete option given as text ("provider:Chen") becomes the id Discord would send, by asking the bot. */
async function resolveAutocomplete(
  command: string,
  subcommand: string,
  values: Record<string, string>,
): Promise<string | null> {
  for (const option of optionsOf(discord.definition(command), subcommand)) {
    const typed = values[option.name];
    if (!('autocomplete' in option) || !option.autocomplete || typed === undefined || /^\d+$/.test(typed))
      continue;
    const choices = await discord.autocomplete(
      actor,
      subcommand,
      { name: option.name, value: typed },
      [],
      command,
    );
    const exact = choices.find((c) => c.name.toLowerCase() === typed.toLowerCase());
    let chosen = exact ?? (choices.length === 1 ? choices[0] : undefined);
    if (!chosen && choices.length > 1 && interactive) {
      console.log(`Several ${option.name}s match "${typed}":`);
      for (const [i, c] of choices.entries()) console.log(`  [${i + 1}] ${c.name}`);
      const answer = Number((await ask('Which one? '))?.trim());
      chosen = choices[answer - 1];
    }
    if (!chosen) {
      return choices.length
        ? `${option.name} "${typed}" matches several: ${choices.map((c) => c.name).join(', ')}. Be more precise.`
        : `No ${option.name} matches "${typed}".`;
    }
    // A patient's choice already names its ID; a provider's does not.
    const named = new RegExp(`\\bID ${chosen.value}\\b`).test(chosen.name);
    console.log(`(${option.name}: ${chosen.name}${named ? '' : `, id ${chosen.value}`})`);
    values[option.name] = String(chosen.value);
  }
  return null;
}

async function runLine(line: string): Promise<void> {
  const parsed = parseCommandLine(line, discord.definitions);
  if (!parsed.ok) {
    console.log(parsed.message);
    return;
  }
  const { command, subcommand, values } = parsed.value;
  const problem = await resolveAutocomplete(command, subcommand, values);
  if (problem) {
    console.log(problem);
    return;
  }
  const options = resolveOptions(discord.definition(command), subcommand, values);
  if (!options.ok) {
    console.log(`Discord would not send this: ${options.message}`);
    return;
  }
  await settle(
    await discord.command(
      actor,
      subcommand,
      options.value as APIApplicationCommandInteractionDataBasicOption[],
      command,
    ),
  );
}

async function press(n: number): Promise<void> {
  const choice = current ? messageText(current).choices.find((c) => c.number === n) : undefined;
  if (!current || !choice) {
    console.log('There is no button with that number on the last reply.');
    return;
  }
  console.log(`(pressing "${choice.label}")`);
  await settle(await discord.press(actor, current, choice.customId));
}

async function handle(input: string): Promise<boolean> {
  const line = input.trim();
  if (line === '') return true;
  if (line === 'exit' || line === 'quit') return false;
  if (line === 'help' || line === '?') console.log(help());
  else if (/^\d+$/.test(line)) await press(Number(line));
  else await runLine(line);
  return true;
}

function hasChoices(): boolean {
  return current !== undefined && messageText(current).choices.length > 0;
}

try {
  const [first, ...picks] = process.argv.slice(2);
  if (first !== undefined) {
    await handle(first);
    for (const pick of picks) {
      console.log(`\n> ${pick}`);
      await handle(pick);
    }
    while (interactive && hasChoices()) {
      const answer = (await ask('\nPick a number, or press Enter to finish: '))?.trim() ?? '';
      if (!/^\d+$/.test(answer)) break;
      await press(Number(answer));
    }
  } else {
    console.log(
      `Patients bot console: ${config.url}, institution ${config.subdomain}, location ${location.id} (${location.name}), times in ${await ctx.practice.timeZone()}.`,
    );
    console.log('Type "help" for the commands, "exit" to leave.\n');
    while (true) {
      const line = await ask('patient> ');
      if (line === null || !(await handle(line))) break;
      console.log('');
    }
  }
} finally {
  rl?.close();
  await discord.close();
}
process.exit(0);
