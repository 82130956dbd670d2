// Finding where a person works by the name they know: "Takoma Park", "Montgomery County Public Libraries". Words
// are matched against the jurisdictions' names (accents and case ignored, a word may be cut short), and the words of
// offices (the catalog's `web-guide.office_words`) tell which office a search names. Browser-safe.
import type { Catalog } from '../../app/presentation/catalog.js';
import type { Jurisdiction } from '../../policy/corpus.js';

/** A jurisdiction a search found, best first. */
export interface SearchHit {
  readonly jurisdiction: Jurisdiction;
  /** How many of the search's words its name matched. */
  readonly score: number;
}

/** What a search found: the places, and the office it named when it named exactly one. */
export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly agency?: string;
}

/** Lower case, accents removed, punctuation as spaces. */
export function normalize(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

const wordsOf = (text: string) => normalize(text).split(' ').filter(Boolean);

/** The catalog's comma-separated phrase list, each phrase as its words. */
function phrases(catalog: Catalog, id: string): string[][] {
  return catalog.format(id).split(',').map(wordsOf).filter((p) => p.length);
}

/** Whether a search word matches a name word: equal, or (3 letters or more) its beginning. */
const matchesWord = (query: string, name: string) => name === query || (query.length >= 3 && name.startsWith(query));

/**
 * Finds the jurisdictions a search names. Each word must match the name, name an office, or be a word searches
 * ignore; a place must match at least one word of its name. Offices are recognised as whole phrases first
 * ("public schools", "detention center"), so their words do not have to be in the name.
 */
export function searchJurisdictions(
  query: string, places: readonly Jurisdiction[], agencyIds: readonly string[], catalog: Catalog,
): SearchResult {
  let words = wordsOf(query);
  const stop = new Set(phrases(catalog, 'web-guide.search_stopwords').flat());
  const offices = new Set<string>();
  // Longest office phrases first, so "police department" is taken whole.
  const officePhrases = agencyIds.flatMap((a) => phrases(catalog, `web-guide.office_words.${a}`).map((p) => ({ a, p })))
    .sort((x, y) => y.p.length - x.p.length);
  const officeWords = new Set<number>();
  for (const { a, p } of officePhrases) {
    for (let i = 0; i + p.length <= words.length; i++) {
      if (p.every((w, k) => words[i + k] === w) && p.every((_, k) => !officeWords.has(i + k))) {
        offices.add(a);
        p.forEach((_, k) => officeWords.add(i + k));
      }
    }
  }
  const rest = words.filter((_, i) => !officeWords.has(i));
  words = rest;
  const hits: SearchHit[] = [];
  for (const j of places) {
    const name = wordsOf(j.name);
    let score = 0;
    let ok = true;
    for (const w of words) {
      if (name.some((n) => matchesWord(w, n))) score++;
      else if (!stop.has(w)) {
        ok = false;
        break;
      }
    }
    if (ok && score > 0) hits.push({ jurisdiction: j, score: score / name.length + score });
  }
  hits.sort((x, y) => y.score - x.score || x.jurisdiction.name.localeCompare(y.jurisdiction.name));
  return { hits, ...(offices.size === 1 ? { agency: [...offices][0]! } : {}) };
}
