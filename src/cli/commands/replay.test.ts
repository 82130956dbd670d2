// `trustrules replay` end to end (the built bin/trustrules, the bundled corpus and facility table).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/trustrules', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (args: string[]) => {
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = mkdtempSync(path.join(tmpdir(), 'trustrules-replay-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('trustrules replay', () => {
  it('replays NPR\'s aggregate as CSV rows, detecting the layout, and lists unplaced names on stderr', () => {
    const r = cli(['replay', 'data/detainers/npr-declined-vs-everythingelse.csv', '--csv']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('facility,jurisdiction,agency,year,declined,other,hold_outcome,governing,declined_label');
    expect(lines).toContain('prince-georges-county-detention-center,us/md/prince-georges-county,corrections,2015,10,4,prohibited,prince-georges-jail-2014#no-detainer-holds,consistent');
    expect(r.err).toMatch(/unplaced: "OTHER-OTHER FACILITY"/);
  });

  it('replays NPR records as JSON by quarter', () => {
    const r = cli(['replay', 'data/detainers/npr-maryland-fy15.csv', '--format', 'npr', '--by', 'quarter', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ format: 'npr', by: 'quarter', records: 616 });
    expect(report.rows.every((row: { period: string }) => /^\d{4}-Q[1-4]$/.test(row.period))).toBe(true);
  });

  it('answers a file of another layout with exit 2 and the contract error object', () => {
    const file = path.join(tmp, 'x.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const r = cli(['replay', file, '--format', 'ddp']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: expect.objectContaining({ path: 'column detainer_prepare_date', allowed: ['detainer_prepare_date', 'prepare_date'] }) });
    expect(r.err).not.toMatch(/at .*\.js/);
    expect(cli(['replay', path.join(tmp, 'missing.csv')]).code).toBe(2);
    expect(cli(['replay', file, '--format', 'xls']).code).toBe(2);
  });
});
