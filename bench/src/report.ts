// Markdown tables and the machine description that every report starts with.
import { cpus, totalmem } from 'node:os';

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function machineLine(engineVersions: Record<string, string>): string {
  const cpu = cpus();
  const engines = Object.entries(engineVersions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${engines ? `, ${engines}` : ''}`;
}
