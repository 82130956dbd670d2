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

/** The sums an attacker sees: every equation but withheld breakdowns. */
function visible(tree: SumTree): SumEquation[] {
  return tree.equations.filter((e) => !e.withheld);
}

/** Every node's bounds, by index (a node no sum in play touches keeps lo 0, hi 0: unused). */
interface BoundArrays {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/**
 * The markers' bounds of the counts in `eqs` (and `ids`), narrowed by each of those sums until nothing changes. Only
 * those counts are written and read, so `into` (arrays of the tree's size) may be reused from call to call.
 */
function propagate(tree: SumTree, threshold: number, eqs: readonly SumEquation[], ids: Iterable<number>, into?: BoundArrays): BoundArrays {
  const lo = into?.lo ?? new Float64Array(tree.nodes.length);
  const hi = into?.hi ?? new Float64Array(tree.nodes.length);
  const mark = (i: number) => {
    const n = tree.nodes[i]!;
    const [l, h] = n.shown === 'exact' ? [n.value, n.value] : n.shown === 'below' ? [1, threshold - 1] : n.shown === 'withheld' ? [0, Infinity] : [threshold, Infinity];
    lo[i] = l;
    hi[i] = h;
  };
  for (const i of ids) mark(i);
  for (const e of eqs) {
    mark(e.parent);
    for (const c of e.children) mark(c);
  }
  // Complementary counts are chosen smallest first (earliest among equals), so each is at most every published count
  // of its sum after it and less than every one before it: prefix and suffix minima of the published counts.
  for (const e of eqs) {
    const m = e.children.length;
    const exact = (k: number) => {
      const x = tree.nodes[e.children[k]!]!;
      return x.shown === 'exact' && x.value > 0 ? x.value : Infinity;
    };
    const after = new Float64Array(m + 1).fill(Infinity);
    for (let k = m - 1; k >= 0; k--) after[k] = Math.min(after[k + 1]!, exact(k));
    let before = Infinity;
    for (let k = 0; k < m; k++) {
      const c = e.children[k]!;
      if (tree.nodes[c]!.shown === 'complementary') hi[c] = Math.min(after[k + 1]!, before - 1);
      before = Math.min(before, exact(k));
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const e of eqs) {
      let sumLo = 0;
      let finiteHi = 0;
      let infinite = 0;
      for (const c of e.children) {
        sumLo += lo[c]!;
        if (hi[c] === Infinity) infinite++;
        else finiteHi += hi[c]!;
      }
      const p = e.parent;
      const pHi = infinite ? Infinity : finiteHi;
      if (sumLo > lo[p]!) [lo[p], changed] = [sumLo, true];
      if (pHi < hi[p]!) [hi[p], changed] = [pHi, true];
      for (const c of e.children) {
        const othersLo = sumLo - lo[c]!;
        const othersHi = hi[c] === Infinity ? (infinite > 1 ? Infinity : finiteHi) : infinite ? Infinity : finiteHi - hi[c]!;
        const l = Math.max(0, lo[p]! - othersHi);
        const h = hi[p]! - othersLo;
        if (l > lo[c]!) [lo[c], changed] = [l, true];
        if (h < hi[c]!) [hi[c], changed] = [h, true];
      }
    }
  }
  return { lo, hi };
}

/**
 * The attacker's bounds on every count: the markers' bounds, narrowed by each visible sum until nothing changes.
 * Exact on a tree of sums; on any other system of sums still sound (never narrower than the truth allows).
 */
export function attackerBounds(tree: SumTree, threshold: number): Bounds[] {
  const { lo, hi } = propagate(tree, threshold, visible(tree), tree.nodes.keys());
  return tree.nodes.map((_, i) => ({ lo: lo[i]!, hi: hi[i]! }));
}

/** The suppressed counts an attacker could pin to one value (none, when the tree is protected). */
export function pinned(tree: SumTree, threshold: number): number[] {
  return pinnedWith(tree, threshold);
}

/** `pinned`, its bounds written into `into` (reused by protectTree from one round to the next). */
function pinnedWith(tree: SumTree, threshold: number, into?: BoundArrays): number[] {
  const { lo, hi } = propagate(tree, threshold, visible(tree), tree.nodes.keys(), into);
  // What attackerBounds and publishedNodes give, without an object per count: a tree may have thousands.
  const hidden = new Uint8Array(tree.nodes.length);
  for (const e of tree.equations) if (e.withheld) for (const c of e.children) hidden[c] = 1;
  const out: number[] = [];
  for (let i = 0; i < tree.nodes.length; i++) if (tree.nodes[i]!.shown !== 'exact' && !hidden[i] && lo[i]! >= hi[i]!) out.push(i);
  return out;
}

/** The counts that are published at all (not children of a withheld breakdown). */
export function publishedNodes(tree: SumTree): number[] {
  const hidden = new Set(tree.equations.filter((e) => e.withheld).flatMap((e) => e.children));
  return tree.nodes.flatMap((_, i) => (hidden.has(i) ? [] : [i]));
}

/** The smallest exact nonzero count among `ids` (earliest among equals), or -1. */
function smallestExact(tree: SumTree, ids: readonly number[]): number {
  let pick = -1;
  for (const i of ids) {
    const n = tree.nodes[i]!;
    if (n.shown === 'exact' && n.value > 0 && (pick < 0 || n.value < tree.nodes[pick]!.value)) pick = i;
  }
  return pick;
}

/**
 * Protects a tree in place: counts from 1 to threshold-1 are shown below the threshold; then, while a suppressed count
 * can be pinned, one more is hidden — the smallest published count beside it in its sum, else the smallest of a sum it
 * is the total of, else that sum's breakdown is withheld (a quarter's cells), else a count's bound is taken away (it
 * is withheld, shown in no form: itself first, then one beside it, then the total above).
 */
export function protectTree(tree: SumTree, threshold: number): SumTree {
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD) throw new RangeError(`the suppression threshold must be a whole number ≥ ${MIN_THRESHOLD}, not ${threshold}`);
  for (const n of tree.nodes) n.shown = n.value > 0 && n.value < threshold ? 'below' : 'exact';
  const scratch: BoundArrays = { lo: new Float64Array(tree.nodes.length), hi: new Float64Array(tree.nodes.length) };
  // First each breakdown on its own (its sum and its total's marker): a count pinned there is pinned in the whole
  // tree too, so this only does early, one small sum at a time, what the loop below would do over the whole tree.
  for (const e of tree.equations.filter((x) => x.breakdown)) {
    for (;;) {
      const { lo, hi } = propagate(tree, threshold, [e], [], scratch);
      if (e.children.every((c) => tree.nodes[c]!.shown === 'exact' || lo[c]! < hi[c]!)) break;
      const pick = smallestExact(tree, e.children);
      if (pick < 0) {
        e.withheld = true;
        break;
      }
      tree.nodes[pick]!.shown = 'complementary';
    }
  }
  for (let guard = 0; guard <= 3 * (tree.nodes.length + tree.equations.length); guard++) {
    // Deepest pinned counts first (cells, then months, quarters, the year); the cheapest remedy any of them allows.
    const pins = pinnedWith(tree, threshold, scratch).reverse();
    if (!pins.length) return tree;
    const eqs = visible(tree);
    const upOf = (v: number) => eqs.find((e) => e.children.includes(v));
    const downsOf = (v: number) => eqs.filter((e) => e.parent === v);
    const remedies: (() => boolean)[] = [
      // a published count beside it in its sum, else one of a sum it is the total of, becomes complementary
      () => pins.some((v) => {
        const up = upOf(v);
        const pick = [up ? smallestExact(tree, up.children) : -1, ...downsOf(v).map((e) => smallestExact(tree, e.children))].find((i) => i >= 0);
        if (pick !== undefined) tree.nodes[pick]!.shown = 'complementary';
        return pick !== undefined;
      }),
      // a quarter's cells are withheld
      () => pins.some((v) => {
        const e = [upOf(v), ...downsOf(v)].find((x) => x?.breakdown);
        if (e) e.withheld = true;
        return e !== undefined;
      }),
      // bounds alone pin it (two months below 3 under a quarter of 4): a bound goes — its own, a neighbour's, the total's
      () => pins.some((v) => {
        const up = upOf(v);
        const pick = [v, ...(up ? [...up.children, up.parent] : [])].find((i) => tree.nodes[i]!.shown !== 'exact' && tree.nodes[i]!.shown !== 'withheld');
        if (pick !== undefined) tree.nodes[pick]!.shown = 'withheld';
        return pick !== undefined;
      }),
    ];
    if (!remedies.some((r) => r())) throw new Error('suppression cannot protect this tree');
  }
  throw new Error('suppression did not converge');
}
