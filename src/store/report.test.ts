// The report builder's fast paths give what the plain definitions give: cells in compareCellKeys' order (also with
// nulls, prefixes and a value holding U+0000), and canonical bytes equal to the canonicalize library's for the rows
// the builder writes and for rows a saved file may hold in another shape.
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { buildReport, compareCellKeys, reportBody, reportJson, signReport, type CountRow } from './report.js';
import { periodsBetween, type Period } from './reportPeriods.js';

const cell = (request: string | null, basis: string | null, count: number, deviation: boolean | null = false): CountRow => ({
  period: '2026-Q1', jurisdiction: 'us/md/x', request, basis, agent: 'ice_ero', action: 'declined', outcome: 'prohibited', deviation, count,
});
const query = { jurisdiction: 'us/md/x', descendants: false, from: '2026-01-01', to: '2026-03-31', by: 'quarter' as const };
const build = (counts: CountRow[]) => buildReport({
  query, threshold: 5, checkpoint: { origin: 'o', size: 1, root: 'r', note: 'n' }, periods: periodsBetween(query.from, query.to, 'quarter') as Period[],
  jurisdictions: ['us/md/x'], counts, monthTotals: [{ period: '2026-01', jurisdiction: 'us/md/x', count: counts.reduce((s, c) => s + c.count, 0) }], deletedByRetention: 0,
});

describe('report builder', () => {
  it('orders cells as compareCellKeys does, with or without a value holding U+0000', () => {
    const keys = [cell('ab', null, 7), cell('a', 'z', 6), cell(null, 'b', 9), cell('a', null, 8), cell('b', 'a', 5), cell('a', 'z', 10, null), cell('a', 'z', 11, true)];
    for (const counts of [keys, [...keys, cell('a\u0000', 'q', 12)], [...keys, cell('a', 'z\u0000b', 13)]]) {
      const cells = build(counts).rows.filter((r) => r.kind === 'cell');
      expect(cells.map((r) => r.count)).toEqual([...counts].sort(compareCellKeys).map((c) => c.count));
    }
  });

  it('writes canonical JSON for its own rows and for rows of another shape', () => {
    const report = signReport(build([cell('a', 'b', 6), cell('c', null, 2)]), () => 'signed');
    expect(reportJson(report)).toBe(`${canonicalize(report)}\n`);
    const { signature: _, ...body } = report;
    const odd = { ...body, rows: [{ ...body.rows[0]!, extra: { z: 1, a: [2] } }, { kind: 'total', count: 1 }] } as unknown as typeof body;
    expect(reportBody(odd)).toBe(canonicalize(odd));
    expect(reportBody(body)).toBe(canonicalize(body));
  });
});
