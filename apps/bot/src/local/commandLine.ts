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

/** The text with quoted values ("..." or '...' right after a colon or a space) blanked, keeping positions. */
function maskQuoted(text: string): string {
  return text.replace(
    /(^|[\s:])(["'])(.*?)\2/g,
    (_, lead: string, q: string, inner: string) => `${lead}${q}${'_'.repeat(inner.length)}${q}`,
  );
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
  const usage = `Options of /${command} ${subcommand}: ${known.join(', ')}`;
  if (rest.trim() !== '') {
    // Strict (issue 17): every word that looks like `name:` starts an option, and a name the command does
    // not have is an error, never glued into the previous value. A value that must hold such a word is
    // quoted: note:"re: the crown".
    const masked = maskQuoted(rest);
    const starts = [...masked.matchAll(/(?:^|\s)([A-Za-z][A-Za-z_]*):/g)];
    const unknown = starts.map((x) => x[1]!).filter((n) => !known.includes(n));
    if (unknown.length) {
      return {
        ok: false,
        message: `/${command} ${subcommand} has no option ${unknown.join(', ')}. ${usage}. (A value holding "word:" is written in quotes: note:"re: the crown".)`,
      };
    }
    const first = starts[0];
    const before = first ? rest.slice(0, first.index).trim() : rest.trim();
    if (before) {
      return { ok: false, message: `Unexpected "${before}". Options are written name:value. ${usage}` };
    }
    for (const [i, s] of starts.entries()) {
      const name = s[1]!;
      if (name in values) return { ok: false, message: `${name} is given twice. ${usage}` };
      const from = s.index! + s[0].length;
      const to = i + 1 < starts.length ? starts[i + 1]!.index! : rest.length;
      values[name] = unquote(rest.slice(from, to));
    }
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
    } else if (option.type === ApplicationCommandOptionType.Boolean) {
      // Discord shows True / False; the console takes those and yes / no.
      if (/^(true|yes)$/i.test(text)) out.push({ type: option.type, name: option.name, value: true });
      else if (/^(false|no)$/i.test(text)) out.push({ type: option.type, name: option.name, value: false });
      else problems.push(`${option.name} must be true or false`);
    } else {
      problems.push(`${option.name}: this console does not handle options of type ${option.type}`);
    }
  }
  return problems.length ? { ok: false, message: problems.join('; ') } : { ok: true, value: out };
}
