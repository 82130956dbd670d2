// Exact covers of sets of fact vectors as "cubes" (per fact, a set of values): how depends_on and analyses read.

/** A cube: for each fact position of a list, the set of value indices (ascending). */
export type Cube = number[][];

/**
 * Merges points (value index per fact position) into cubes equal in all positions but one, position by position until
 * stable: an exact, disjoint cover of the points.
 */
export function mergeCubes(points: readonly (readonly number[])[]): Cube[] {
  let list: Cube[] = points.map((p) => p.map((v) => [v]));
  const width = list[0]?.length ?? 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (let u = 0; u < width; u++) {
      const groups = new Map<string, Cube>();
      for (const cube of list) {
        const key = cube.map((vals, w) => (w === u ? '*' : vals.join(','))).join('|');
        const existing = groups.get(key);
        if (!existing) groups.set(key, cube.map((vals) => [...vals]));
        else {
          existing[u] = [...new Set([...existing[u]!, ...cube[u]!])].sort((a, b) => a - b);
          changed = true;
        }
      }
      list = [...groups.values()];
    }
  }
  return list;
}
