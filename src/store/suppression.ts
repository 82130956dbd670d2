// Small-cell suppression over a tree of sums: for one jurisdiction and one calendar year, the year's total is the sum
// of its quarters', each quarter's the sum of its months' and of its cells' (one cell per combination of request,
// basis, agent, action, outcome and deviation that occurred). Every report of that jurisdiction — by month, quarter or
// year, any range — shows part of this one protected tree, so combining reports gives an attacker nothing more.
//
// A count below the threshold is shown as below it; while some suppressed count can still be pinned to one value from
// everything shown, more counts are suppressed. Because the sums form a tree (no count is in two sums that share
// another count), bounds propagation to a fixpoint gives the attacker's exact integer bounds, not an estimate; the
// property test checks this against a search over every table consistent with what is shown.
// Zeros are shown: a combination that did not occur is not listed, a period with no records is a published 0.

/** How one count is shown: exactly, below the threshold, suppressed to protect another, or withheld entirely. */
export type Shown = 'exact' | 'below' | 'complementary' | 'withheld';

/** One count of the tree. */
export interface SumNode {
  readonly value: number;
  shown: Shown;
}

/** One sum: `parent` is the sum of `children` (indexes into the nodes), in the order they are published. */
export interface SumEquation {
  readonly parent: number;
  readonly children: readonly number[];
  /** A breakdown that may be withheld as a whole (the cells of a quarter): then its children are not published. */
  readonly breakdown: boolean;
  withheld: boolean;
}

/** The least and greatest value an attacker can give a count. */
export interface Bounds {
  lo: number;
  hi: number;
}

/** A tree of sums to protect, and after `protectTree` how each count is shown. */
export interface SumTree {
  readonly nodes: SumNode[];
  readonly equations: SumEquation[];
}

/** Smallest threshold that means anything: below 3, "fewer than 2" would say 1. */
export const MIN_THRESHOLD = 3;

/** `Shown` as a number, for the typed arrays of a SumTable: its index in `shownNames`. */
export const EXACT = 0;
/** Shown as below the threshold. */
export const BELOW = 1;
/** Suppressed to protect another count. */
export const COMPLEMENTARY = 2;
/** Shown in no form. */
export const WITHHELD = 3;
/** The words of the numbers EXACT, BELOW, COMPLEMENTARY and WITHHELD, in that order. */
export const shownNames: readonly Shown[] = ['exact', 'below', 'complementary', 'withheld'];

/**
 * A tree of sums in typed arrays, what protectTable works on: a report of 200k cells protects a few hundred of these,
 * with no object per count. Equation `e` says `values[parents[e]]` is the sum of the values of
 * `children[starts[e]]` to `children[starts[e + 1] - 1]` (in the order they are published).
 */
export interface SumTable {
  readonly values: Float64Array;
  /** How each count is shown: EXACT, BELOW, COMPLEMENTARY or WITHHELD. */
  readonly shown: Uint8Array;
  readonly parents: Int32Array;
  /** One more than there are equations: where each equation's children start, and where the last ends. */
  readonly starts: Int32Array;
  readonly children: Int32Array;
  /** 1 for a breakdown that may be withheld as a whole (the cells of a quarter). */
  readonly breakdown: Uint8Array;
  /** 1 for a breakdown withheld: its children are not published. */
  readonly withheld: Uint8Array;
}

/** Scratch arrays of the attacker's bounds, reused from one table to the next (grown when a table is larger). */
export interface Scratch {
  lo: Float64Array;
  hi: Float64Array;
  /** Suffix minima of one sum's published counts. */
  after: Float64Array;
}

function scratchFor(t: SumTable, s?: Scratch): Scratch {
  const n = t.values.length;
  let widest = 0;
  for (let e = 0; e + 1 < t.starts.length; e++) widest = Math.max(widest, t.starts[e + 1]! - t.starts[e]!);
  if (s && s.lo.length >= n && s.after.length > widest) return s;
  return { lo: new Float64Array(n), hi: new Float64Array(n), after: new Float64Array(widest + 1) };
}

/** The visible equations (every one but withheld breakdowns), in order. */
function visibleOf(t: SumTable): Int32Array {
  const E = t.parents.length;
  let m = 0;
  for (let e = 0; e < E; e++) if (!t.withheld[e]) m++;
  const out = new Int32Array(m);
  for (let e = 0, k = 0; e < E; e++) if (!t.withheld[e]) out[k++] = e;
  return out;
}

/**
 * The markers' bounds of the counts of the equations `eqs` (and of every count when `all`), narrowed by each of those
 * sums until nothing changes. Only those counts are written and read, so the scratch arrays may be reused.
 */
function propagate(t: SumTable, threshold: number, eqs: ArrayLike<number>, all: boolean, s: Scratch): void {
  const { values, shown, parents, starts, children } = t;
  const { lo, hi, after } = s;
  const mark = (i: number) => {
    switch (shown[i]) {
      case EXACT: lo[i] = hi[i] = values[i]!; break;
      case BELOW: lo[i] = 1; hi[i] = threshold - 1; break;
      case WITHHELD: lo[i] = 0; hi[i] = Infinity; break;
      default: lo[i] = threshold; hi[i] = Infinity;
    }
  };
  if (all) for (let i = 0; i < values.length; i++) mark(i);
  for (let k = 0; k < eqs.length; k++) {
    const e = eqs[k]!;
    mark(parents[e]!);
    for (let j = starts[e]!; j < starts[e + 1]!; j++) mark(children[j]!);
  }
  // Complementary counts are chosen smallest first (earliest among equals), so each is at most every published count
  // of its sum after it and less than every one before it: prefix and suffix minima of the published counts.
  for (let k = 0; k < eqs.length; k++) {
    const e = eqs[k]!;
    const first = starts[e]!;
    const m = starts[e + 1]! - first;
    const exact = (j: number) => {
      const x = children[first + j]!;
      return shown[x] === EXACT && values[x]! > 0 ? values[x]! : Infinity;
    };
    after[m] = Infinity;
    for (let j = m - 1; j >= 0; j--) after[j] = Math.min(after[j + 1]!, exact(j));
    let before = Infinity;
    for (let j = 0; j < m; j++) {
      const c = children[first + j]!;
      if (shown[c] === COMPLEMENTARY) hi[c] = Math.min(after[j + 1]!, before - 1);
      before = Math.min(before, exact(j));
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (let k = 0; k < eqs.length; k++) {
      const e = eqs[k]!;
      const first = starts[e]!;
      const end = starts[e + 1]!;
      let sumLo = 0;
      let finiteHi = 0;
      let infinite = 0;
      for (let j = first; j < end; j++) {
        const c = children[j]!;
        sumLo += lo[c]!;
        if (hi[c] === Infinity) infinite++;
        else finiteHi += hi[c]!;
      }
      const p = parents[e]!;
      const pHi = infinite ? Infinity : finiteHi;
      if (sumLo > lo[p]!) {
        lo[p] = sumLo;
        changed = true;
      }
      if (pHi < hi[p]!) {
        hi[p] = pHi;
        changed = true;
      }
      for (let j = first; j < end; j++) {
        const c = children[j]!;
        const othersLo = sumLo - lo[c]!;
        const othersHi = hi[c] === Infinity ? (infinite > 1 ? Infinity : finiteHi) : infinite ? Infinity : finiteHi - hi[c]!;
        const l = Math.max(0, lo[p]! - othersHi);
        const h = hi[p]! - othersLo;
        if (l > lo[c]!) {
          lo[c] = l;
          changed = true;
        }
        if (h < hi[c]!) {
          hi[c] = h;
          changed = true;
        }
      }
    }
  }
}

/** The suppressed counts an attacker could pin to one value, in order; the bounds are left in the scratch arrays. */
function pinnedIn(t: SumTable, threshold: number, s: Scratch): number[] {
  propagate(t, threshold, visibleOf(t), true, s);
  const n = t.values.length;
  const hidden = new Uint8Array(n);
  for (let e = 0; e < t.parents.length; e++) if (t.withheld[e]) for (let j = t.starts[e]!; j < t.starts[e + 1]!; j++) hidden[t.children[j]!] = 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (t.shown[i] !== EXACT && !hidden[i] && s.lo[i]! >= s.hi[i]!) out.push(i);
  return out;
}

/** The smallest exact nonzero count among the children of equation `e` (earliest among equals), or -1. */
function smallestExact(t: SumTable, e: number): number {
  let pick = -1;
  for (let j = t.starts[e]!; j < t.starts[e + 1]!; j++) {
    const i = t.children[j]!;
    if (t.shown[i] === EXACT && t.values[i]! > 0 && (pick < 0 || t.values[i]! < t.values[pick]!)) pick = i;
  }
  return pick;
}

/** Whether equation `e` has `v` among its children. */
function hasChild(t: SumTable, e: number, v: number): boolean {
  for (let j = t.starts[e]!; j < t.starts[e + 1]!; j++) if (t.children[j] === v) return true;
  return false;
}

/**
 * Protects a table in place, as protectTree describes (protectTree is this on a SumTree): counts from 1 to
 * threshold-1 are shown below the threshold; then, while a suppressed count can be pinned, one more is hidden.
 * `scratch` (from an earlier call) is reused when it is large enough; the one used is returned.
 */
export function protectTable(t: SumTable, threshold: number, scratch?: Scratch): Scratch {
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD) throw new RangeError(`the suppression threshold must be a whole number ≥ ${MIN_THRESHOLD}, not ${threshold}`);
  const { values, shown, parents, starts, children, breakdown, withheld } = t;
  const n = values.length;
  const E = parents.length;
  for (let i = 0; i < n; i++) shown[i] = values[i]! > 0 && values[i]! < threshold ? BELOW : EXACT;
  const s = scratchFor(t, scratch);
  // First each breakdown on its own (its sum and its total's marker): a count pinned there is pinned in the whole
  // tree too, so this only does early, one small sum at a time, what the loop below would do over the whole tree.
  const one = new Int32Array(1);
  for (let e = 0; e < E; e++) {
    if (!breakdown[e]) continue;
    one[0] = e;
    for (;;) {
      propagate(t, threshold, one, false, s);
      let open = true;
      for (let j = starts[e]!; j < starts[e + 1]!; j++) {
        const c = children[j]!;
        if (shown[c] !== EXACT && s.lo[c]! >= s.hi[c]!) {
          open = false;
          break;
        }
      }
      if (open) break;
      const pick = smallestExact(t, e);
      if (pick < 0) {
        withheld[e] = 1;
        break;
      }
      shown[pick] = COMPLEMENTARY;
    }
  }
  for (let guard = 0; guard <= 3 * (n + E); guard++) {
    // Deepest pinned counts first (cells, then months, quarters, the year); the cheapest remedy any of them allows.
    const pins = pinnedIn(t, threshold, s).reverse();
    if (!pins.length) return s;
    const eqs = visibleOf(t);
    const upOf = (v: number) => {
      for (let k = 0; k < eqs.length; k++) if (hasChild(t, eqs[k]!, v)) return eqs[k]!;
      return -1;
    };
    const downsOf = (v: number) => {
      const out: number[] = [];
      for (let k = 0; k < eqs.length; k++) if (parents[eqs[k]!] === v) out.push(eqs[k]!);
      return out;
    };
    const remedies: (() => boolean)[] = [
      // a published count beside it in its sum, else one of a sum it is the total of, becomes complementary
      () => pins.some((v) => {
        const up = upOf(v);
        let pick = up >= 0 ? smallestExact(t, up) : -1;
        for (const e of pick >= 0 ? [] : downsOf(v)) if ((pick = smallestExact(t, e)) >= 0) break;
        if (pick >= 0) shown[pick] = COMPLEMENTARY;
        return pick >= 0;
      }),
      // a quarter's cells are withheld
      () => pins.some((v) => {
        const e = [upOf(v), ...downsOf(v)].find((x) => x >= 0 && breakdown[x]);
        if (e !== undefined) withheld[e] = 1;
        return e !== undefined;
      }),
      // bounds alone pin it (two months below 3 under a quarter of 4): a bound goes — its own, a neighbour's, the total's
      () => pins.some((v) => {
        const up = upOf(v);
        const candidates = [v, ...(up >= 0 ? [...children.subarray(starts[up]!, starts[up + 1]!), parents[up]!] : [])];
        const pick = candidates.find((i) => shown[i] !== EXACT && shown[i] !== WITHHELD);
        if (pick !== undefined) shown[pick] = WITHHELD;
        return pick !== undefined;
      }),
    ];
    if (!remedies.some((r) => r())) throw new Error('suppression cannot protect this tree');
  }
  throw new Error('suppression did not converge');
}

/** A SumTree as a SumTable (its nodes' values and shown, its equations in order). */
function tableOf(tree: SumTree): SumTable {
  const E = tree.equations.length;
  const starts = new Int32Array(E + 1);
  tree.equations.forEach((e, k) => {
    starts[k + 1] = starts[k]! + e.children.length;
  });
  return {
    values: Float64Array.from(tree.nodes, (x) => x.value),
    shown: Uint8Array.from(tree.nodes, (x) => shownNames.indexOf(x.shown)),
    parents: Int32Array.from(tree.equations, (e) => e.parent),
    starts,
    children: Int32Array.from(tree.equations.flatMap((e) => e.children)),
    breakdown: Uint8Array.from(tree.equations, (e) => (e.breakdown ? 1 : 0)),
    withheld: Uint8Array.from(tree.equations, (e) => (e.withheld ? 1 : 0)),
  };
}

/**
 * The attacker's bounds on every count: the markers' bounds, narrowed by each visible sum until nothing changes.
 * Exact on a tree of sums; on any other system of sums still sound (never narrower than the truth allows).
 */
export function attackerBounds(tree: SumTree, threshold: number): Bounds[] {
  const t = tableOf(tree);
  const s = scratchFor(t);
  propagate(t, threshold, visibleOf(t), true, s);
  return tree.nodes.map((_, i) => ({ lo: s.lo[i]!, hi: s.hi[i]! }));
}

/** The suppressed counts an attacker could pin to one value (none, when the tree is protected). */
export function pinned(tree: SumTree, threshold: number): number[] {
  const t = tableOf(tree);
  return pinnedIn(t, threshold, scratchFor(t));
}

/** The counts that are published at all (not children of a withheld breakdown). */
export function publishedNodes(tree: SumTree): number[] {
  const hidden = new Set(tree.equations.filter((e) => e.withheld).flatMap((e) => e.children));
  return tree.nodes.flatMap((_, i) => (hidden.has(i) ? [] : [i]));
}

/**
 * Protects a tree in place: counts from 1 to threshold-1 are shown below the threshold; then, while a suppressed count
 * can be pinned, one more is hidden — the smallest published count beside it in its sum, else the smallest of a sum it
 * is the total of, else that sum's breakdown is withheld (a quarter's cells), else a count's bound is taken away (it
 * is withheld, shown in no form: itself first, then one beside it, then the total above). The work is protectTable's.
 */
export function protectTree(tree: SumTree, threshold: number): SumTree {
  const t = tableOf(tree);
  protectTable(t, threshold);
  tree.nodes.forEach((x, i) => {
    x.shown = shownNames[t.shown[i]!]!;
  });
  tree.equations.forEach((e, k) => {
    e.withheld = t.withheld[k] === 1;
  });
  return tree;
}
