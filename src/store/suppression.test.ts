// Small-cell suppression, attacked: from every report of a year (by month, quarter and year, every jurisdiction) an
// attacker who knows what the numbers mean and how complementary cells are chosen sets up every sum they add up to,
// and searches every integer table consistent with what is shown, value by value. No suppressed count may come out
// as one value. The attacker's solver is a search, written here apart from the code under test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport, type CellKey, type ContactReport, type CountRow, type ReportRow } from './report.js';
import { periodsBetween, type Period, type PeriodKind } from './reportPeriods.js';
import { attackerBounds, protectTree, type SumTree } from './suppression.js';

const J = 'us/md/example-county';
const CITY = `${J}/example-city`;
const checkpoint = { origin: 'example.test/log', size: 0, root: 'x', note: '' };

function report(counts: readonly CountRow[], by: PeriodKind, threshold: number, from = '2026-01-01', to = '2026-12-31'): ContactReport {
  const periods = periodsBetween(from, to, by) as Period[];
  return buildReport({
    query: { jurisdiction: J, descendants: true, from, to, by }, threshold, checkpoint, periods, jurisdictions: [J, CITY], counts, deletedByRetention: 0,
  });
}

const key = (request: string, action: string): CellKey => ({ request, basis: 'ice_detainer', agent: 'ice_ero', action, outcome: 'prohibited', deviation: action === 'complied' });

// ---- the attacker ----------------------------------------------------------------------------------------------

interface Knowledge {
  lo: number;
  hi: number;
  /** Shown suppressed somewhere (what the attacker wants). */
  target: boolean;
}

/** Everything the attacker learns from the published rows: bounds per count and the sums that hold between them. */
class Attacker {
  readonly vars = new Map<string, Knowledge>();
  readonly sums: { parent: string; children: string[] }[] = [];
  readonly groups: string[][] = [];
  constructor(readonly threshold: number, readonly cap: number) {}

  know(id: string, count: ReportRow['count'] | undefined) {
    const k = this.vars.get(id) ?? { lo: 0, hi: this.cap, target: false };
    if (typeof count === 'number') {
      k.lo = Math.max(k.lo, count);
      k.hi = Math.min(k.hi, count);
    } else if (count === `<${this.threshold}`) {
      Object.assign(k, { lo: Math.max(k.lo, 1), hi: Math.min(k.hi, this.threshold - 1), target: true });
    } else if (count === 'suppressed') {
      Object.assign(k, { lo: Math.max(k.lo, this.threshold), target: true });
    } else if (count === 'withheld') {
      k.target = true;
    }
    this.vars.set(id, k);
    return id;
  }

  read(reports: readonly ContactReport[]) {
    for (const r of reports) {
      const byBlock = new Map<string, ReportRow[]>();
      for (const row of r.rows) {
        const b = `${row.jurisdiction}|${row.period}`;
        byBlock.set(b, [...(byBlock.get(b) ?? []), row]);
      }
      for (const [block, rows] of byBlock) {
        const [total, ...cells] = rows;
        const t = this.know(`T|${block}`, total!.count);
        if (r.query.by === 'month') continue;
        const ids = cells.map((c) => this.know(`C|${block}|${JSON.stringify([c.request, c.basis, c.agent, c.action, c.outcome, c.deviation])}`, c.count));
        // A quarter's cells (all of them: a combination not listed did not occur) add up to its total.
        expect(r.query.by === 'quarter' || ids.length === 0).toBe(true);
        if (total!.detail === 'published') this.sums.push({ parent: t, children: ids });
        this.groups.push(ids);
      }
    }
  }

  /** The sums of the calendar: a year is its quarters, a quarter its months. */
  calendar(jurisdictions: readonly string[], year: number) {
    for (const j of jurisdictions) {
      const quarters = [1, 2, 3, 4].map((q) => this.know(`T|${j}|${year}-Q${q}`, undefined));
      this.sums.push({ parent: this.know(`T|${j}|${year}`, undefined), children: quarters });
      this.groups.push(quarters);
      for (let q = 0; q < 4; q++) {
        const months = [1, 2, 3].map((m) => this.know(`T|${j}|${year}-${String(q * 3 + m).padStart(2, '0')}`, undefined));
        this.sums.push({ parent: quarters[q]!, children: months });
        this.groups.push(months);
      }
    }
  }

  /** Quarter cells not listed under a published breakdown are 0. */
  zeros(reports: readonly ContactReport[]) {
    const published = new Set(reports.filter((r) => r.query.by === 'quarter').flatMap((r) => r.rows.filter((x) => x.kind === 'total' && (x.detail === 'published' || x.detail === 'none')).map((x) => `${x.jurisdiction}|${x.period}`)));
    for (const [id, k] of this.vars) {
      const m = /^C\|(.+\|\d{4}-Q\d)\|/.exec(id);
      if (m && published.has(m[1]!) && !k.target && k.lo === 0 && k.hi === this.cap) k.hi = 0;
    }
  }

  /** The algorithm's own order: a complementary count is at most the published counts after it, below those before. */
  ordering() {
    for (const g of this.groups) {
      g.forEach((id, i) => {
        const k = this.vars.get(id)!;
        if (!(k.target && k.lo >= this.threshold)) return;
        g.forEach((other, j) => {
          const o = this.vars.get(other)!;
          if (o.lo === o.hi && o.lo > 0) k.hi = Math.min(k.hi, j > i ? o.lo : o.lo - 1);
        });
      });
    }
  }

  /** Narrows domains by every sum until nothing changes; false when some domain empties. */
  propagate(d: Map<string, { lo: number; hi: number }>): boolean {
    for (let changed = true; changed;) {
      changed = false;
      for (const s of this.sums) {
        const p = d.get(s.parent)!;
        const cs = s.children.map((c) => d.get(c)!);
        const lo = cs.reduce((a, c) => a + c.lo, 0);
        const hi = cs.reduce((a, c) => a + c.hi, 0);
        if (lo > p.lo) [p.lo, changed] = [lo, true];
        if (hi < p.hi) [p.hi, changed] = [hi, true];
        for (const c of cs) {
          const clo = p.lo - (hi - c.hi);
          const chi = p.hi - (lo - c.lo);
          if (clo > c.lo) [c.lo, changed] = [clo, true];
          if (chi < c.hi) [c.hi, changed] = [chi, true];
        }
        if (p.lo > p.hi || cs.some((c) => c.lo > c.hi)) return false;
      }
    }
    return true;
  }

  /** Whether some integer table satisfies every sum and bound (depth-first search, smallest domain first). */
  feasible(d: Map<string, { lo: number; hi: number }>): boolean {
    if (!this.propagate(d)) return false;
    let pick: string | undefined;
    for (const [id, b] of d) if (b.lo < b.hi && (pick === undefined || b.hi - b.lo < d.get(pick)!.hi - d.get(pick)!.lo)) pick = id;
    if (pick === undefined) return true;
    const b = d.get(pick)!;
    for (let v = b.lo; v <= b.hi; v++) {
      const next = new Map([...d].map(([k, x]) => [k, { ...x }]));
      next.set(pick, { lo: v, hi: v });
      if (this.feasible(next)) return true;
    }
    return false;
  }

  /** Whether the count `id` can be `v` given everything. */
  possible(id: string, v: number): boolean {
    const d = new Map([...this.vars].map(([x, b]) => [x, { lo: b.lo, hi: b.hi }]));
    d.set(id, { lo: Math.max(v, d.get(id)!.lo), hi: Math.min(v, d.get(id)!.hi) });
    return this.feasible(d);
  }

  /** Every suppressed count's possible values (the first two found: one would be a recovery). */
  attack(): Map<string, number[]> {
    const base = new Map([...this.vars].map(([k, v]) => [k, { lo: v.lo, hi: v.hi }]));
    expect(this.propagate(base)).toBe(true);
    const out = new Map<string, number[]>();
    for (const [id, k] of this.vars) {
      if (!k.target) continue;
      const values: number[] = [];
      for (let v = base.get(id)!.lo; v <= base.get(id)!.hi && values.length < 2; v++) if (this.possible(id, v)) values.push(v);
      out.set(id, values);
    }
    return out;
  }
}

function attack(counts: readonly CountRow[], threshold: number) {
  const reports = (['month', 'quarter', 'year'] as const).map((by) => report(counts, by, threshold));
  const cap = 300; // more records than any generated year holds: the attacker is not told the truth
  const a = new Attacker(threshold, cap);
  a.read(reports);
  a.zeros(reports);
  a.calendar([J, CITY], 2026);
  a.ordering();
  return { reports, found: a.attack(), attacker: a };
}

/** The true value of an attacker's variable, from the counts. */
function truth(counts: readonly CountRow[], id: string): number {
  const [kind, j, period, cell] = id.split('|');
  const inPeriod = (m: string) => (period!.length === 4 ? m.startsWith(period!) : period!.includes('Q') ? m.startsWith(period!.slice(0, 4)) && Math.ceil(Number(m.slice(5)) / 3) === Number(period!.slice(6)) : m === period);
  return counts.filter((c) => c.jurisdiction === j && inPeriod(c.period) && (kind === 'T' || JSON.stringify([c.request, c.basis, c.agent, c.action, c.outcome, c.deviation]) === cell)).reduce((s, c) => s + c.count, 0);
}

const countArb = fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 2, arbitrary: fc.integer({ min: 5, max: 9 }) });
const dataArb = fc.array(fc.record({
  jurisdiction: fc.constantFrom(J, CITY),
  month: fc.integer({ min: 1, max: 12 }),
  request: fc.constantFrom('detain_past_release', 'notify_release'),
  action: fc.constantFrom('declined', 'complied'),
  count: countArb,
}), { maxLength: 24 }).map((cells) => {
  const merged = new Map<string, CountRow>();
  for (const c of cells) {
    if (c.count === 0) continue;
    const row: CountRow = { period: `2026-${String(c.month).padStart(2, '0')}`, jurisdiction: c.jurisdiction, ...key(c.request, c.action), count: c.count };
    const k = JSON.stringify({ ...row, count: 0 });
    const had = merged.get(k);
    merged.set(k, { ...row, count: (had?.count ?? 0) + c.count });
  }
  return [...merged.values()];
});

describe('small-cell suppression against an attacker with every report of the year', () => {
  it('pins no suppressed count, and the truth is always among what the attacker finds possible', () => {
    fc.assert(fc.property(dataArb, fc.constantFrom(3, 5), (counts, threshold) => {
      const { found, attacker } = attack(counts, threshold);
      for (const [id, values] of found) {
        expect(values.length, `${id} can only be ${values.join()} (threshold ${threshold}) in ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(2);
        // the attacker's model is right: the true table is among those it considers
        expect(attacker.possible(id, truth(counts, id)), id).toBe(true);
      }
    }), { seed: 20261201, numRuns: 150 });
  });

  it('a small month under a published quarter takes a second month with it (the quarter is in another report)', () => {
    const counts: CountRow[] = [
      { period: '2026-01', jurisdiction: J, ...key('detain_past_release', 'declined'), count: 10 },
      { period: '2026-02', jurisdiction: J, ...key('detain_past_release', 'declined'), count: 3 },
      { period: '2026-03', jurisdiction: J, ...key('detain_past_release', 'declined'), count: 8 },
    ];
    const { reports, found } = attack(counts, 5);
    const months = reports[0]!.rows.filter((r) => r.jurisdiction === J && r.period.startsWith('2026-0') && Number(r.period.slice(5)) <= 3).map((r) => r.count);
    expect(months).toEqual([10, '<5', 'suppressed']);
    expect(reports[1]!.rows.find((r) => r.jurisdiction === J && r.period === '2026-Q1')!.count).toBe(21);
    expect(found.get(`T|${J}|2026-02`)!.length).toBe(2);
  });

  it('the attacker is not toothless: primary suppression alone gives the small month away', () => {
    const counts: CountRow[] = [
      { period: '2026-01', jurisdiction: J, ...key('detain_past_release', 'declined'), count: 10 },
      { period: '2026-02', jurisdiction: J, ...key('detain_past_release', 'declined'), count: 3 },
      { period: '2026-03', jurisdiction: J, ...key('detain_past_release', 'declined'), count: 8 },
    ];
    const reports = (['month', 'quarter', 'year'] as const).map((by) => report(counts, by, 5));
    const naive = reports.map((r) => ({ ...r, rows: r.rows.map((x) => (x.count === 'suppressed' ? { ...x, count: truth(counts, `T|${x.jurisdiction}|${x.period}`) } : x)) }));
    const a = new Attacker(5, 300);
    a.read(naive);
    a.zeros(naive);
    a.calendar([J, CITY], 2026);
    a.ordering();
    expect(a.attack().get(`T|${J}|2026-02`)).toEqual([3]);
  });

  it('publishes zeros: a jurisdiction and period with no contact is a 0 row, and an empty year shows every period', () => {
    const r = report([], 'quarter', 5);
    expect(r.rows).toHaveLength(8);
    expect(r.rows.every((x) => x.kind === 'total' && x.count === 0 && x.detail === 'none')).toBe(true);
  });

  it('withholds a breakdown that no pattern protects: four combinations of one under a total of four', () => {
    const counts = ['a', 'b', 'c', 'd'].map((request): CountRow => ({ period: '2026-05', jurisdiction: J, ...key(request, 'declined'), count: 1 }));
    const q2 = report(counts, 'quarter', 5).rows.filter((x) => x.jurisdiction === J && x.period === '2026-Q2');
    expect(q2).toEqual([expect.objectContaining({ kind: 'total', count: '<5', detail: 'withheld' })]);
  });

  it('treats every exact count as known and finds the bounds a sum gives (checked against the search)', () => {
    const tree: SumTree = { nodes: [{ value: 7, shown: 'exact' }, { value: 2, shown: 'exact' }, { value: 5, shown: 'exact' }], equations: [{ parent: 0, children: [1, 2], breakdown: true, withheld: false }] };
    protectTree(tree, 5);
    // 2 + 5 = 7: with the 5 shown the 2 would be 7 - 5, so the 5 is suppressed too; then the 2 is 1 or 2, the 5 is 5 or 6.
    expect(tree.nodes.map((n) => n.shown)).toEqual(['exact', 'below', 'complementary']);
    expect(tree.equations[0]!.withheld).toBe(false);
    expect(attackerBounds(tree, 5).slice(1)).toEqual([{ lo: 1, hi: 2 }, { lo: 5, hi: 6 }]);
  });
});
