// Reading a slash command typed as text (`/patient search name:Jon Smith dob:...`) against the command
// definitions, the way Discord's client fills in options: names from the definition, types and choices
// checked, required options enforced.
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandInteractionDataBasicOption,
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody;

export interface TypedCommand {
  command: string;
  subcommand: string;
  /** Option values as typed, by option name. */
  values: Record<string, string>;
}

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

function subcommandsOf(def: Definition) {
  return (def.options ?? []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
}

export function optionsOf(def: Definition, subcommand: string): APIApplicationCommandBasicOption[] {
  const sub = subcommandsOf(def).find((s) => s.name === subcommand);
  return (sub && 'options' in sub ? (sub.options ?? []) : []) as APIApplicationCommandBasicOption[];
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0] ? t.slice(1, -1) : t;
}

/** Splits `/patient search name:Jon Smith email:x@y.z` into command, subcommand and option texts. */
export function parseCommandLine(line: string, definitions: readonly Definition[]): Result<TypedCommand> {
  const m = /^\/(\S+)(?:\s+(\S+))?\s*(.*)$/s.exec(line.trim());
  if (!m) return { ok: false, message: 'Commands start with a slash, e.g. /patient search name:Jon Smith' };
  const [, command, subcommand, rest] = m as unknown as [string, string, string | undefined, string];
  const def = definitions.find((d) => d.name === command);
  if (!def)
    return {
      ok: false,
      message: `Unknown command /${command}. Try: ${definitions.map((d) => `/${d.name}`).join(', ')}`,
    };
  const subs = subcommandsOf(def).map((s) => s.name);
  if (!subcommand || !subs.includes(subcommand)) {
    return { ok: false, message: `/${command} needs one of: ${subs.join(', ')}` };
  }
  const known = optionsOf(def, subcommand).map((o) => o.name);
  const values: Record<string, string> = {};
  if (rest.trim() !== '') {
    // An option starts where a known option name followed by a colon starts a word.
    const starts = [...rest.matchAll(/(?:^|\s)([a-z_]+):/g)].filter((x) => known.includes(x[1]!));
    const first = starts[0];
    const before = first ? rest.slice(0, first.index).trim() : rest.trim();
    if (before) {
      const unknown = /^([a-z_]+):/.exec(before)?.[1];
      return {
        ok: false,
        message: unknown
          ? `/${command} ${subcommand} has no option ${unknown}. Options: ${known.join(', ')}`
          : `Unexpected "${before}". Options are written name:value; options of /${command} ${subcommand}: ${known.join(', ')}`,
      };
    }
    starts.forEach((s, i) => {
      const name = s[1]!;
      const from = s.index! + s[0].length;
      const to = i + 1 < starts.length ? starts[i + 1]!.index! : rest.length;
      values[name] = unquote(rest.slice(from, to));
    });
  }
  return { ok: true, value: { command, subcommand, values } };
}

/** Turns option texts into the typed options Discord would send, checking types, choices and required ones. */
export function resolveOptions(
  def: Definition,
  subcommand: string,
  values: Record<string, string>,
): Result<APIApplicationCommandInteractionDataBasicOption[]> {
  const out: APIApplicationCommandInteractionDataBasicOption[] = [];
  const problems: string[] = [];
  for (const option of optionsOf(def, subcommand)) {
    const text = values[option.name];
    if (text === undefined || text === '') {
      if (option.required) problems.push(`${option.name} is required`);
      continue;
    }
    if (option.type === ApplicationCommandOptionType.String) {
      const choices = 'choices' in option ? option.choices : undefined;
      if (choices?.length) {
        const choice = choices.find(
          (c) =>
            c.name.toLowerCase() === text.toLowerCase() ||
            String(c.value).toLowerCase() === text.toLowerCase(),
        );
        if (!choice) problems.push(`${option.name} must be one of: ${choices.map((c) => c.name).join(', ')}`);
        else out.push({ type: option.type, name: option.name, value: String(choice.value) });
      } else out.push({ type: option.type, name: option.name, value: text });
    } else if (option.type === ApplicationCommandOptionType.Integer) {
      if (!/^-?\d+$/.test(text)) problems.push(`${option.name} must be a whole number`);
      else out.push({ type: option.type, name: option.name, value: Number(text) });
    } else {
      problems.push(`${option.name}: this console does not handle options of type ${option.type}`);
    }
  }
  return problems.length ? { ok: false, message: problems.join('; ') } : { ok: true, value: out };
}
