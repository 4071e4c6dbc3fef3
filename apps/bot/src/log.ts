// The bot's log: one JSON line per event on stderr. Callers pass ids, kinds and codes, never patient data.
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface BotLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l)): BotLogger {
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A logger that keeps its entries, for tests and the console (which prints them). */
export function memoryLogger(): BotLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (message: string, fields: LogFields = {}) => {
      entries.push({ level, message, fields });
    };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}
