// Finding where a person works by the name they know: "Takoma Park", "Montgomery County Public Libraries",
// "Howard County Public School System", "MCPS", "Condado de Prince George". Words are matched against the
// jurisdictions' names and their named offices' names, in English and in each translation (accents, case and
// apostrophes ignored, a word may be cut short); the words of offices (the catalog's
// `web-guide.office_words`) tell which office a search names. Browser-safe.
import type { Catalog } from '../../app/presentation/catalog.js';
import type { Jurisdiction, Office } from '../../policy/corpus.js';

/** A jurisdiction a search found, best first. */
export interface SearchHit {
  readonly jurisdiction: Jurisdiction;
  /** How many of the search's words its name matched. */
  readonly score: number;
  /** The agency of the named office the search matched, when it matched one ("Montgomery County Public Schools"). */
  readonly agency?: string;
}

/** What a search found: the places, and the office it named when it named exactly one. */
export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly agency?: string;
}

/** Lower case, accents and apostrophes removed ("George's" and "Georges" are one word), other punctuation as spaces. */
export function normalize(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['\u2019]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

const wordsOf = (text: string) => normalize(text).split(' ').filter(Boolean);

/** The catalog's comma-separated phrase list, each phrase as its words. */
function phrases(catalog: Catalog, id: string): string[][] {
  return catalog.format(id).split(',').map(wordsOf).filter((p) => p.length);
}

/** Whether a search word matches a name word: equal, or (3 letters or more) its beginning. */
const matchesWord = (query: string, name: string) => name === query || (query.length >= 3 && name.startsWith(query));

/**
 * How well a search's words match a name: every word must match one of the name's words or be ignored, and one at
 * least must match; then the matched count, plus the share of the name matched (undefined when it does not match).
 */
function nameScore(words: readonly string[], nameText: string, stop: ReadonlySet<string>): number | undefined {
  const name = wordsOf(nameText);
  let score = 0;
  for (const w of words) {
    if (name.some((n) => matchesWord(w, n))) score++;
    else if (!stop.has(w)) return undefined;
  }
  return score > 0 ? score / name.length + score : undefined;
}

/** The names a place is found by: its own and each translation's ("Condado de Montgomery"). */
const placeNames = (j: Jurisdiction): string[] => [j.name, ...Object.values(j.translations ?? {}).flatMap((t) => (t?.name ? [t.name] : []))];

/** The names an office is found by: its official name in each language, and its short form. */
const officeNames = (o: Office): string[] => [o.name, ...Object.values(o.translations ?? {}).map((t) => t!.name), ...(o.short ? [o.short] : [])];

/**
 * Finds the jurisdictions a search names. Each word must match the name, name an office, or be a word searches
 * ignore; a place must match at least one word of its name. Offices are recognised as whole phrases first
 * ("public schools", "detention center"), so their words do not have to be in the name.
 */
export function searchJurisdictions(
  query: string, places: readonly Jurisdiction[], agencyIds: readonly string[], catalog: Catalog,
): SearchResult {
  const allWords = wordsOf(query);
  let words = allWords;
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
    let best: SearchHit | undefined;
    for (const n of placeNames(j)) {
      const score = nameScore(words, n, stop);
      if (score !== undefined && score > (best?.score ?? 0)) best = { jurisdiction: j, score };
    }
    // A named office is matched on every word of the search, office words included ("public schools").
    for (const o of j.offices ?? []) {
      for (const n of officeNames(o)) {
        const score = nameScore(allWords, n, stop);
        if (score !== undefined && score > (best?.score ?? 0)) best = { jurisdiction: j, score, agency: o.agency };
      }
    }
    if (best) hits.push(best);
  }
  hits.sort((x, y) => y.score - x.score || x.jurisdiction.name.localeCompare(y.jurisdiction.name));
  const agency = hits[0]?.agency ?? (offices.size === 1 ? [...offices][0]! : undefined);
  return { hits, ...(agency ? { agency } : {}) };
}
