// "Did you mean …?": the ids whose id, last segment or name are nearest to what someone typed.
import type { Corpus } from '../policy/corpus.js';

/** Something that may be meant: its id and the names a person may type for it. */
export interface Candidate {
  readonly id: string;
  readonly names: readonly string[];
}

/** Lower case, every run of other characters one hyphen: "Baltimore County" and "baltimore-county" meet. */
const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Edit distance (insertions, deletions, substitutions), stopping early beyond `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Up to `limit` candidate ids a person typing `given` most likely meant, best first: an exact name or slug first, then
 * names that start with it, then small misspellings (about one edit in four characters). None when nothing is near.
 */
export function nearMatches(given: string, candidates: Iterable<Candidate>, limit = 3): string[] {
  // Ids share their leading segments (us/md/…), so only the last segment is compared: gamma-county is not alpha-county.
  const g = slug(given.split('/').pop() ?? given);
  if (!g) return [];
  const max = Math.max(1, Math.floor(g.length / 4));
  const scored: { id: string; score: number }[] = [];
  for (const c of candidates) {
    let score = Infinity;
    for (const name of [c.id.split('/').pop() ?? c.id, ...c.names]) {
      const n = slug(name);
      if (n === g) score = Math.min(score, 0);
      else if (n.startsWith(g) || n.endsWith(`-${g}`)) score = Math.min(score, 1);
      else {
        const d = distance(g, n, max);
        if (d <= max) score = Math.min(score, 1 + d);
      }
    }
    if (score < Infinity) scored.push({ id: c.id, score });
  }
  // A name typed exactly is what was meant; only without one are near misses worth listing.
  const exact = scored.filter((s) => s.score === 0);
  return (exact.length ? exact : scored).sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1)).slice(0, limit).map((s) => s.id);
}

/** The corpus's jurisdictions as candidates: id, last id segment and name. */
export function jurisdictionCandidates(corpus: Corpus): Candidate[] {
  return [...corpus.jurisdictions.values()].map((j) => ({ id: j.id, names: [j.name] }));
}

/** The corpus's instruments as candidates: id, number and title. */
export function instrumentCandidates(corpus: Corpus): Candidate[] {
  return [...corpus.instruments.values()].map((i) => ({ id: i.id, names: [i.title, ...(i.number ? [i.number] : [])] }));
}
