// The crash test in npm test's short form (3 rounds of kill -9 under 32 clients on each database); the full form is
// TRUSTRULES_CRASH_ROUNDS=20. Prints the figures BENCHMARKS.md quotes.
import { describe, expect, it } from 'vitest';
import { runCrash } from './crash.js';

const rounds = Number(process.env.TRUSTRULES_CRASH_ROUNDS ?? 3);
const clients = Number(process.env.TRUSTRULES_CRASH_CLIENTS ?? 32);

describe.each(['pglite', 'postgres'] as const)('crash test on %s', (kind) => {
  it(`${rounds} rounds of kill -9 under ${clients} appending clients: nothing acknowledged is lost, every checkpoint verifies`, async () => {
    const report = await runCrash(kind, rounds, clients, (m) => process.stdout.write(`${m}\n`));
    process.stdout.write(`crash ${JSON.stringify(report)}\n`);
    expect(report.problems).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(rounds);
    expect(report.stored).toBeGreaterThanOrEqual(report.acknowledged);
  }, 120_000 + rounds * 90_000);
});
