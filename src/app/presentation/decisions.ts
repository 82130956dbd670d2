// Decisions in a language, for the surfaces: the words of `en` or `es` made once per corpus and handed to the
// engine, which keeps each language's encoded decisions apart.
//
// API (what the CLI, the server and replay call):
// - `wordsFor(corpus, lang)`: the DecisionWords of a language, one object per corpus and language (keep using it:
//   the engine caches encoded decisions by it);
// - `decide(engine, input, lang)` / `decideScenario(engine, scenario, lang)`: the contract decision object;
// - `decisionBytes(engine, scenario, lang)`: its UTF-8 JSON in one array; `encodeDecision(engine, scenario, lang,
//   sink)`: the same bytes pushed to a sink as the engine's shared byte ranges (for JSON lines and batches: an
//   array, or app/output.ts's ChunkedOutput.line of that array); `encodeDecisions(engine, scenarios, lang, sink)`:
//   a batch's decisions as one JSON array, the same way (the batch API);
// - `explainText` (explain.ts): the decision for a person.
import type { Engine } from '../../engine/engine.js';
import type { ByteSink } from '../../engine/encoding.js';
import type { Decision } from '../../engine/decision.js';
import type { Corpus } from '../../policy/corpus.js';
import type { Scenario } from '../../vocabulary/scenario.js';
import { languageWords } from '../../vocabulary/vocabulary.js';
import { defaultLang, messages, type Lang } from './messages.js';
import { presentationWords, type PresentationWords } from './words.js';

const byCorpus = new WeakMap<Corpus, Map<Lang, PresentationWords>>();

/** The words of decisions in a language for a corpus, made once and kept. */
export function wordsFor(corpus: Corpus, lang: Lang = defaultLang): PresentationWords {
  let langs = byCorpus.get(corpus);
  if (!langs) byCorpus.set(corpus, (langs = new Map()));
  let words = langs.get(lang);
  if (!words) {
    words = presentationWords({ catalog: messages(lang), vocabulary: languageWords(lang), corpus });
    langs.set(lang, words);
  }
  return words;
}

/** Validates a contract scenario and decides it, worded in `lang`. Throws ScenarioError on bad input. */
export function decide(engine: Engine, input: unknown, lang: Lang = defaultLang): Decision {
  return engine.decide(input, wordsFor(engine.corpus, lang));
}

/** The decision of a valid scenario, worded in `lang`. */
export function decideScenario(engine: Engine, scenario: Scenario, lang: Lang = defaultLang): Decision {
  return engine.decideScenario(scenario, wordsFor(engine.corpus, lang));
}

/** The decision's UTF-8 JSON in `lang`: the bytes of `JSON.stringify(decideScenario(engine, scenario, lang))`. */
export function decisionBytes(engine: Engine, scenario: Scenario, lang: Lang = defaultLang): Uint8Array {
  return engine.decideBytes(scenario, wordsFor(engine.corpus, lang));
}

/** Pushes a batch's decisions in `lang` to `sink` as one JSON array of shared byte ranges (copy them; never write to them). */
export function encodeDecisions(engine: Engine, scenarios: readonly Scenario[], lang: Lang, sink: ByteSink): void {
  engine.encodeBatch(scenarios, wordsFor(engine.corpus, lang), sink);
}

/** Pushes the decision's UTF-8 JSON in `lang` to `sink` as a few shared byte ranges (copy them; never write to them). */
export function encodeDecision(engine: Engine, scenario: Scenario, lang: Lang, sink: ByteSink): void {
  engine.encode(scenario, wordsFor(engine.corpus, lang), sink);
}
