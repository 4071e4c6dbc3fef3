// Small statistics for timings and rates.

/** The p-th percentile (0..100) of the values, nearest-rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : Number.NaN;
}

export function ratio(part: number, whole: number): number {
  return whole ? part / whole : Number.NaN;
}

export const pct = (x: number, digits = 1) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(digits)}%`);

/** Milliseconds, to a sensible precision. */
export const ms = (x: number) =>
  Number.isNaN(x) ? '–' : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(1)} ms`;

/** Runs `work` once per item, timing each call; returns the durations in milliseconds. */
export async function timeEach<T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await work(item);
    out.push(performance.now() - t);
  }
  return out;
}
