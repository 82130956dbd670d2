// What the offline guide is made from, as one JSON document the server builds from the corpus it runs (so an answer
// offline is the answer online, policy version and all): the corpus itself, the vocabulary and its translations, the
// catalogs the guide's pages word with, and the built assets. Browser-safe both ways (make it, and make a corpus of it).
import type { Lang } from '../../app/presentation/catalog.js';
import type { Corpus, Instrument, Jurisdiction, Provision } from '../../policy/corpus.js';

/** The offline guide's data. */
export interface OfflineData {
  /** The policy version the answers carry; the service worker refreshes its copy when the server's changes. */
  readonly policyVersion: string;
  /** vocabulary/vocabulary.yaml's text. */
  readonly vocabulary: string;
  /** vocabulary/<lang>.yaml's text, for the languages other than English. */
  readonly vocabularyTranslations: Readonly<Record<string, string>>;
  /** The catalog areas the guide's pages use, as YAML text, by language. */
  readonly catalogs: Readonly<Record<Lang, Readonly<Record<string, string>>>>;
  readonly corpus: CorpusSnapshot;
  /** The built assets' content hashes (file → hash), so offline pages link what the service worker cached. */
  readonly assets: Readonly<Record<string, string>>;
}

/** A corpus as plain JSON. */
export interface CorpusSnapshot {
  readonly version: string;
  readonly jurisdictions: readonly Jurisdiction[];
  readonly instruments: readonly Instrument[];
}

/** The snapshot of a (fully loaded) corpus. */
export function corpusSnapshot(corpus: Corpus): CorpusSnapshot {
  return { version: corpus.version, jurisdictions: [...corpus.jurisdictions.values()], instruments: [...corpus.instruments.values()] };
}

/** The corpus a snapshot describes (without policy tests: the guide does not run them). */
export function corpusOf(snapshot: CorpusSnapshot): Corpus {
  const provisions = new Map<string, Provision>();
  for (const ins of snapshot.instruments) for (const p of ins.provisions) provisions.set(p.ref, p);
  return {
    root: '(offline)',
    version: snapshot.version,
    jurisdictions: new Map(snapshot.jurisdictions.map((j) => [j.id, j])),
    instruments: new Map(snapshot.instruments.map((i) => [i.id, i])),
    provisions,
    tests: [],
  };
}
