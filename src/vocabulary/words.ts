// The vocabulary's words in one language, as data: labels, questions and descriptions from vocabulary.yaml (English)
// or from a translation file (vocabulary/<lang>.yaml), checked to cover every id, so adding a value needs no code.
import { parse } from 'yaml';
import { z } from 'zod';
import type { Vocabulary } from './model.js';

/** An agency, request or value in one language. */
export interface TermWords {
  readonly label: string;
  readonly description: string;
}

/** An agency's words, with the plural a sentence names its staff by ("the police", "la policía"). */
export interface AgencyWords extends TermWords {
  readonly plural: string;
}

/** A fact value's words: `short` for use inside a sentence, `condition` for the whole condition when it is the only value. */
export interface ValueWords extends TermWords {
  readonly short: string;
  readonly condition?: string;
}

/** A fact's words: `label` heads a field ("Matter: …"), `name` is the noun a sentence names it by. */
export interface FactWords {
  readonly label: string;
  readonly name: string;
  readonly question: string;
  readonly description: string;
  readonly values: ReadonlyMap<string, ValueWords>;
}

/** Every vocabulary id's words in one language. */
export interface VocabularyWords {
  readonly lang: string;
  agency(id: string): AgencyWords;
  request(id: string): TermWords;
  fact(id: string): FactWords;
  /** A value's words; for boolean facts `value` may be the boolean itself. */
  value(factId: string, value: string | boolean): ValueWords;
}

/** An id the words do not cover (or a translation that names an id the vocabulary lacks). */
export class VocabularyWordsError extends Error {}

const idWords = (id: string) => id.replace(/_/g, ' ');

const term = z.strictObject({ label: z.string().min(1), description: z.string().min(1) });
const translationSchema = z.strictObject({
  lang: z.string().min(2),
  agencies: z.record(z.string(), term.extend({ plural: z.string().min(1) })),
  requests: z.record(z.string(), term),
  facts: z.record(z.string(), z.strictObject({
    label: z.string().min(1),
    name: z.string().min(1),
    question: z.string().min(1),
    description: z.string().min(1),
    values: z.record(z.string(), term.extend({ short: z.string().min(1), condition: z.string().min(1).optional() })),
  })),
});


function lookup<T>(map: ReadonlyMap<string, T>, id: string, what: string, lang: string): T {
  const found = map.get(id);
  if (!found) throw new VocabularyWordsError(`vocabulary words (${lang}): no ${what} "${id}"`);
  return found;
}

function wordsOf(
  lang: string,
  agencies: ReadonlyMap<string, AgencyWords>,
  requests: ReadonlyMap<string, TermWords>,
  facts: ReadonlyMap<string, FactWords>,
): VocabularyWords {
  return {
    lang,
    agency: (id) => lookup(agencies, id, 'agency', lang),
    request: (id) => lookup(requests, id, 'request', lang),
    fact: (id) => lookup(facts, id, 'fact', lang),
    value: (factId, value) => lookup(lookup(facts, factId, 'fact', lang).values, String(value), `value of ${factId}`, lang),
  };
}

/**
 * The vocabulary's own (English) words: plurals, fact names and values' short forms as vocabulary.yaml gives them.
 * A vocabulary without them (a test's) falls back to the label in lower case and the id in words ("judicial warrant");
 * the project's file gives every one (words.test.ts checks).
 */
export function vocabularyWords(vocab: Vocabulary): VocabularyWords {
  return wordsOf(
    'en',
    new Map(vocab.agencies.map((a) => [a.id, { label: a.label, description: a.description, plural: a.plural ?? a.label.toLowerCase() }])),
    new Map(vocab.requests.map((r) => [r.id, { label: r.label, description: r.description }])),
    new Map(vocab.facts.map((f) => [f.id, {
      label: idWords(f.id),
      name: f.name ?? idWords(f.id),
      question: f.question,
      description: f.description,
      values: new Map(f.values.map((v) => [v.id, {
        label: v.label, description: v.description, short: v.short ?? idWords(v.id), ...(v.condition ? { condition: v.condition } : {}),
      }])),
    }])),
  );
}

/** Checks a translation covers exactly the vocabulary's ids, and gives its words. Throws VocabularyWordsError. */
export function translatedWords(vocab: Vocabulary, translation: unknown): VocabularyWords {
  const parsed = translationSchema.safeParse(translation);
  if (!parsed.success) throw new VocabularyWordsError(`vocabulary translation: ${z.prettifyError(parsed.error)}`);
  const t = parsed.data;
  const problems: string[] = [];
  const same = (what: string, want: readonly string[], have: readonly string[]) => {
    for (const id of want) if (!have.includes(id)) problems.push(`missing ${what} ${id}`);
    for (const id of have) if (!want.includes(id)) problems.push(`${what} ${id} is not in the vocabulary`);
  };
  same('agency', vocab.agencyIds, Object.keys(t.agencies));
  same('request', vocab.requestIds, Object.keys(t.requests));
  same('fact', vocab.facts.map((f) => f.id), Object.keys(t.facts));
  for (const f of vocab.facts) {
    const tf = t.facts[f.id];
    if (tf) same(`value of ${f.id}:`, f.values.map((v) => v.id), Object.keys(tf.values));
  }
  if (problems.length) throw new VocabularyWordsError(`vocabulary translation (${t.lang}): ${problems.join('; ')}`);
  return wordsOf(
    t.lang,
    new Map(Object.entries(t.agencies)),
    new Map(Object.entries(t.requests)),
    new Map(Object.entries(t.facts).map(([id, f]) => [id, { ...f, values: new Map(Object.entries(f.values)) }])),
  );
}

/** A translation from its YAML text. */
export function translatedWordsFromYaml(vocab: Vocabulary, text: string): VocabularyWords {
  return translatedWords(vocab, parse(text));
}
