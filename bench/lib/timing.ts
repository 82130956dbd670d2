// Throughput measurement: warm-up passes, then timed passes over the same array; the median pass is reported.
import { performance } from 'node:perf_hooks';

export interface Rate {
  /** Operations per second of the median timed pass. */
  readonly perSecond: number;
  /** Every timed pass, operations per second. */
  readonly passes: readonly number[];
  readonly n: number;
  /** A value computed from the results, so the work cannot be optimised away. */
  readonly checksum: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export { median };

/** `pass` runs once over n items and returns a checksum. */
export function rate(n: number, pass: () => number, { warmup = 2, timed = 5 } = {}): Rate {
  let checksum = 0;
  for (let i = 0; i < warmup; i++) checksum += pass();
  const passes: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    checksum += pass();
    passes.push((n / (performance.now() - t0)) * 1000);
  }
  return { perSecond: median(passes), passes, n, checksum };
}

export async function rateAsync(n: number, pass: () => Promise<number>, { warmup = 1, timed = 3 } = {}): Promise<Rate> {
  let checksum = 0;
  for (let i = 0; i < warmup; i++) checksum += await pass();
  const passes: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    checksum += await pass();
    passes.push((n / (performance.now() - t0)) * 1000);
  }
  return { perSecond: median(passes), passes, n, checksum };
}

/** One timed pass (e.g. the first, cold-cache pass). */
export function once(n: number, pass: () => number): Rate {
  const t0 = performance.now();
  const checksum = pass();
  const r = (n / (performance.now() - t0)) * 1000;
  return { perSecond: r, passes: [r], n, checksum };
}

export function fmtRate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M/s`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k/s`;
  return `${x.toFixed(0)} /s`;
}
