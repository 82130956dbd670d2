// The report builder's fast paths give what the plain definitions give: cells in compareCellKeys' order (also with
// nulls, prefixes and a value holding U+0000), canonical bytes equal to the canonicalize library's for the rows
// the builder writes and for rows a saved file may hold in another shape, and the CSV library's bytes for the CSV.
import canonicalize from 'canonicalize';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { buildReport, compareCellKeys, reportBody, reportCsv, reportCsvColumns, reportJson, reportRowCount, signReport, type CountRow, type IndexedCombinationCounts } from './report.js';
import { periodsBetween, type Period } from './reportPeriods.js';

const cell = (request: string | null, basis: string | null, count: number, deviation: boolean | null = false): CountRow => ({
  period: '2026-Q1', jurisdiction: 'us/md/x', request, basis, agent: 'ice_ero', action: 'declined', outcome: 'prohibited', deviation, count,
});
const query = { jurisdiction: 'us/md/x', descendants: false, from: '2026-01-01', to: '2026-03-31', by: 'quarter' as const };
const input0 = () => ({
  query, threshold: 5, checkpoint: { origin: 'o', size: 1, root: 'r', note: 'n' }, periods: periodsBetween(query.from, query.to, 'quarter') as Period[],
  jurisdictions: ['us/md/x'], counts: [] as CountRow[], monthTotals: [{ period: '2026-01', jurisdiction: 'us/md/x', count: 6 }], deletedByRetention: 0,
});
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

  // Values a JSON or CSV writer must escape or quote, counts of every kind, several jurisdictions and quarters, a
  // jurisdiction with no records: the text written beside the rows is what the plain definitions give.
  const odd = ['plain', 'say "no"', 'back\\slash', 'comma, here', 'line\nbreak', 'cr\rhere', 'ñandú', '\u2028sep', 'emoji 🦉', 'tab\there', '\u0001ctl'];
  const wide = (): Parameters<typeof buildReport>[0] => {
    let x = 11;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const q = { jurisdiction: 'us/md', descendants: true, from: '2025-01-01', to: '2026-12-31', by: 'quarter' as const };
    const counts: CountRow[] = [];
    const months = new Map<string, number>();
    const addMonth = (period: string, jurisdiction: string, n: number) => months.set(`${period}\u0000${jurisdiction}`, (months.get(`${period}\u0000${jurisdiction}`) ?? 0) + n);
    for (const j of ['us/md', 'us/md/a', 'us/md/b "q"', 'us/md/ç']) {
      for (const year of [2025, 2026]) {
        for (let quarter = 1; quarter <= 4; quarter++) {
          for (let i = 0; i < 12; i++) {
            const pick = () => (rnd() < 0.15 ? null : odd[Math.floor(rnd() * odd.length)]!);
            const count = rnd() < 0.3 ? 1 + Math.floor(rnd() * 4) : 5 + Math.floor(rnd() * 40);
            counts.push({ period: `${year}-Q${quarter}`, jurisdiction: j, request: pick(), basis: pick(), agent: pick(), action: pick(), outcome: pick(), deviation: rnd() < 0.2 ? null : rnd() < 0.5, count });
            addMonth(`${year}-${String((quarter - 1) * 3 + 1 + Math.floor(rnd() * 3)).padStart(2, '0')}`, j, count);
          }
        }
      }
    }
    // Equal keys given twice in a quarter are one cell.
    counts.push({ ...counts[0]! });
    addMonth('2025-01', counts[0]!.jurisdiction, counts[0]!.count);
    return {
      query: q, threshold: 5, checkpoint: { origin: 'o', size: 1, root: 'r', note: 'n' }, periods: periodsBetween(q.from, q.to, 'quarter') as Period[],
      jurisdictions: ['us/md', 'us/md/a', 'us/md/empty'], counts, deletedByRetention: 3,
      monthTotals: [...months].map(([k, count]) => ({ period: k.split('\u0000')[0]!, jurisdiction: k.split('\u0000')[1]!, count })),
    };
  };

  it("writes its rows' canonical JSON beside them, for values that need escaping and every kind of count", () => {
    const report = signReport(buildReport(wide()), () => 'signed');
    expect(new Set(report.rows.map((r) => (typeof r.count === 'number' ? 'number' : r.count)))).toEqual(new Set(['<5', 'number', 'suppressed']));
    expect(report.rows.filter((r) => r.kind === 'cell').length).toBeGreaterThan(300);
    expect(reportJson(report)).toBe(`${canonicalize(report)}\n`);
    // A copy of the rows (not the builder's own array) goes the general way: the same bytes.
    expect(reportJson({ ...report, rows: report.rows.map((r) => ({ ...r })) })).toBe(reportJson(report));
  });

  it('counts cells grouped by combination as it counts the same cells one row each', () => {
    const input = wide();
    const groups = new Map<string, { key: CountRow; periods: string[]; jurisdictions: string[]; counts: number[] }>();
    for (const c of input.counts) {
      const k = JSON.stringify([c.request, c.basis, c.agent, c.action, c.outcome, c.deviation]);
      const g = groups.get(k) ?? { key: c, periods: [], jurisdictions: [], counts: [] };
      groups.set(k, g);
      g.periods.push(c.period);
      g.jurisdictions.push(c.jurisdiction);
      g.counts.push(c.count);
    }
    const one = reportJson(signReport(buildReport(input), () => 'signed'));
    expect(reportJson(signReport(buildReport({ ...input, counts: [], combinations: [...groups.values()] }), () => 'signed'))).toBe(one);
    // Half of the cells each way: counted together, the same report.
    const half = Math.floor(input.counts.length / 2);
    const rest = input.counts.slice(half).map((c) => ({ key: c, periods: [c.period], jurisdictions: [c.jurisdiction], counts: [c.count] }));
    expect(reportJson(signReport(buildReport({ ...input, counts: input.counts.slice(0, half), combinations: rest }), () => 'signed'))).toBe(one);
    expect(() => buildReport({ ...input, combinations: [{ key: input.counts[0]!, periods: ['2025-Q1'], jurisdictions: [], counts: [1] }] })).toThrow(/1 periods, 0 jurisdictions and 1 counts/);
  });

  it('counts cells with numbered quarters and jurisdictions as it counts the same cells by name', () => {
    const input = wide();
    // Not in the report's order, and one name no cell uses: a number is a place in this list, nothing more.
    const names = ['us/md/unused', ...new Set(input.counts.map((c) => c.jurisdiction).reverse())];
    const groups = new Map<string, { key: CountRow; quarters: number[]; jurisdictions: number[]; counts: number[] }>();
    for (const c of input.counts) {
      const k = JSON.stringify([c.request, c.basis, c.agent, c.action, c.outcome, c.deviation]);
      const g = groups.get(k) ?? { key: c, quarters: [], jurisdictions: [], counts: [] };
      groups.set(k, g);
      g.quarters.push(Number(c.period.slice(0, 4)) * 4 + Number(c.period.slice(6)) - 1);
      g.jurisdictions.push(names.indexOf(c.jurisdiction));
      g.counts.push(c.count);
    }
    const one = reportJson(signReport(buildReport(input), () => 'signed'));
    const numbered = buildReport({ ...input, counts: [], cells: { jurisdictions: names, combinations: [...groups.values()] } });
    expect(reportJson(signReport(numbered, () => 'signed'))).toBe(one);
    expect(numbered.jurisdictions).not.toContain('us/md/unused');
    const bad = (g: Partial<IndexedCombinationCounts>) => () => buildReport({ ...input, cells: { jurisdictions: names, combinations: [{ key: input.counts[0]!, quarters: [8100], jurisdictions: [1], counts: [1], ...g }] } });
    expect(bad({ jurisdictions: [names.length] })).toThrow(`jurisdiction number ${names.length}, not one of the ${names.length} named`);
    expect(bad({ quarters: [8100.5] })).toThrow(/quarter number 8100.5/);
    expect(bad({ counts: [0] })).toThrow(/a count of 0 records/);
    expect(bad({ counts: [1, 2] })).toThrow(/1 quarters, 1 jurisdictions and 2 counts/);
    expect(() => buildReport({ ...input, monthTotals: undefined, cells: { jurisdictions: [], combinations: [] } })).toThrow(/monthTotals/);
  });

  it('makes its row objects when they are first read: the rows its JSON holds, the same ones each time', () => {
    const report = signReport(buildReport(wide()), () => 'signed');
    const json = reportJson(report);
    const count = reportRowCount(report);
    expect(JSON.parse(json).rows).toEqual(report.rows);
    expect(count).toBe(report.rows.length);
    expect(report.rows).toBe(report.rows);
    expect(Object.isFrozen(report.rows)).toBe(true);
    expect(reportJson(report)).toBe(json);
    expect(reportJson(signReport({ ...report }, () => 'signed'))).toBe(json);
  });

  it('takes a missing category (undefined) as null: the same cell, published as null', () => {
    const withNull = [cell('a', null, 6), cell('a', 'b', 7)];
    const withUndefined = [{ ...cell('a', null, 2), basis: undefined } as unknown as CountRow, cell('a', null, 4), cell('a', 'b', 7)];
    const other = [cell('a', null, 6, null), { ...cell('a', null, 3), deviation: undefined } as unknown as CountRow];
    const json = (counts: CountRow[]) => reportJson(signReport(build(counts), () => 'signed'));
    expect(json(withUndefined)).toBe(json(withNull));
    const cells = build(withUndefined).rows.filter((r) => r.kind === 'cell');
    expect(cells.map((r) => [r.basis, r.count])).toEqual([[null, 6], ['b', 7]]);
    expect(Object.values(cells[0]!)).not.toContain(undefined);
    // A missing deviation is the null deviation's cell (3 + 6), and the grouped form does the same.
    expect(build(other).rows.filter((r) => r.kind === 'cell').map((r) => [r.deviation, r.count])).toEqual([[null, 9]]);
    const g = buildReport({ ...input0(), combinations: [{ key: { ...withUndefined[0]! }, periods: ['2026-Q1'], jurisdictions: ['us/md/x'], counts: [2] }, { key: cell('a', null, 0), periods: ['2026-Q1'], jurisdictions: ['us/md/x'], counts: [4] }] });
    expect(g.rows.filter((r) => r.kind === 'cell').map((r) => [r.basis, r.count])).toEqual([[null, 6]]);
  });

  it("writes the CSV library's bytes for every row", () => {
    const report = buildReport(wide());
    const plain = stringify([[...reportCsvColumns], ...report.rows.map((r) => reportCsvColumns.map((c) => (r[c] === null ? '' : String(r[c]))))]);
    expect(reportCsv(report)).toBe(plain);
    expect(plain).toContain('"say ""no"""');
    expect(plain).toContain('"line\nbreak"');
  });
});
