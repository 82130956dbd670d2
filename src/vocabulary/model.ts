// The scenario vocabulary (contract section 1) as a value: built from the text of vocabulary/vocabulary.yaml, with no
// file access, so the domain core runs in a browser. vocabulary.ts reads the file (node only).
import { parse } from 'yaml';
import { z } from 'zod';

/** An agency, request or fact value: its id, label and description (English). */
export interface Term {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** For agencies: how a sentence names its staff ("the police"), when the file says. */
  readonly plural?: string;
  /** For fact values: the value inside a sentence ("the basis is a judicial warrant"), when the file says. */
  readonly short?: string;
  /** For fact values: the whole condition when the fact takes this value alone, when the file says. */
  readonly condition?: string;
}

/** An agency: a term and the requests its staff can be asked to do at all. */
export interface Agency extends Term {
  /** Every request when the file does not say. */
  readonly requests: readonly string[];
}

/** A scenario fact: its question, the requests it matters to, and its values. */
export interface Fact {
  readonly id: string;
  /** Position of the fact in a scenario's fact vector. */
  readonly index: number;
  /** The noun a sentence names the fact by ("the basis"), when the file says. */
  readonly name?: string;
  readonly question: string;
  readonly description: string;
  /** Requests this fact matters to. */
  readonly requests: readonly string[];
  readonly values: readonly Term[];
  /** True when the scenario gives the value as a JSON boolean (`serious_offense`). */
  readonly boolean: boolean;
  valueIndex(value: unknown): number | undefined;
}

/** The whole vocabulary, with lookups by id. */
export interface Vocabulary {
  readonly version: number;
  readonly agencies: readonly Agency[];
  readonly requests: readonly Term[];
  readonly facts: readonly Fact[];
  readonly agencyIds: readonly string[];
  readonly requestIds: readonly string[];
  fact(id: string): Fact | undefined;
  /** The facts that matter to a request, in vocabulary order. */
  factsFor(request: string): readonly Fact[];
  /** Can staff of this agency be asked to do this at all (a school holds nobody in custody)? */
  performs(agency: string, request: string): boolean;
  /** The raw text of the vocabulary file, part of the policy version. */
  readonly source: string;
  /** Where the text was read from, for diagnostics that point into it. */
  readonly file: string;
}

const termSchema = z.strictObject({
  label: z.string(), description: z.string(), plural: z.string().optional(), short: z.string().optional(), condition: z.string().optional(),
});
const vocabularyFileSchema = z.strictObject({
  version: z.number().int(),
  agencies: z.record(z.string(), termSchema.extend({ requests: z.array(z.string()).min(1).optional() })),
  requests: z.record(z.string(), termSchema),
  facts: z.record(
    z.string(),
    z.strictObject({
      name: z.string().optional(),
      question: z.string(),
      description: z.string(),
      requests: z.union([z.literal('all'), z.array(z.string())]),
      values: z.record(z.string(), termSchema),
    }),
  ),
});

type TermFile = { label: string; description: string; plural?: string | undefined; short?: string | undefined; condition?: string | undefined };
const terms = (record: Record<string, TermFile>): Term[] =>
  Object.entries(record).map(([id, t]) => ({
    id, label: t.label, description: t.description,
    ...(t.plural ? { plural: t.plural } : {}), ...(t.short ? { short: t.short } : {}), ...(t.condition ? { condition: t.condition } : {}),
  }));

/**
 * The vocabulary in a file's text; `file` names it in diagnostics. `parsed` is the text's YAML data when the caller
 * already has it (node reads it through a cache, yamlData.ts); the text stays the vocabulary's source either way.
 */
export function buildVocabulary(source: string, file = 'vocabulary/vocabulary.yaml', parsed: unknown = parse(source)): Vocabulary {
  const data = vocabularyFileSchema.parse(parsed);
  const requests = terms(data.requests);
  const requestIds = requests.map((r) => r.id);
  const facts: Fact[] = Object.entries(data.facts).map(([id, f], index) => {
    const values = terms(f.values);
    const isBoolean = values.length === 2 && values.every((v) => v.id === 'true' || v.id === 'false');
    const byId = new Map(values.map((v, i) => [v.id, i]));
    const factRequests = f.requests === 'all' ? requestIds : f.requests;
    for (const r of factRequests) {
      if (!requestIds.includes(r)) throw new Error(`vocabulary: fact ${id} names unknown request ${r}`);
    }
    return {
      id,
      index,
      ...(f.name ? { name: f.name } : {}),
      question: f.question,
      description: f.description,
      requests: factRequests,
      values,
      boolean: isBoolean,
      valueIndex: (value: unknown) =>
        isBoolean ? (typeof value === 'boolean' ? byId.get(String(value)) : undefined) : typeof value === 'string' ? byId.get(value) : undefined,
    };
  });
  const factById = new Map(facts.map((f) => [f.id, f]));
  const factsByRequest = new Map(requestIds.map((r) => [r, facts.filter((f) => f.requests.includes(r))]));
  const agencies: Agency[] = terms(data.agencies).map((t) => {
    const listed = data.agencies[t.id]!.requests;
    for (const r of listed ?? []) {
      if (!requestIds.includes(r)) throw new Error(`vocabulary: agency ${t.id} names unknown request ${r}`);
    }
    return { ...t, requests: listed ? requestIds.filter((r) => listed.includes(r)) : requestIds };
  });
  const performed = new Map(agencies.map((a) => [a.id, new Set(a.requests)]));
  return {
    version: data.version,
    agencies,
    requests,
    facts,
    agencyIds: agencies.map((a) => a.id),
    requestIds,
    fact: (id) => factById.get(id),
    factsFor: (request) => factsByRequest.get(request) ?? [],
    performs: (agency, request) => performed.get(agency)?.has(request) ?? false,
    source,
    file,
  };
}

/** A fact value as written in a scenario: the value id, or a boolean for boolean facts. */
export function factValueJson(fact: Fact, index: number): string | boolean {
  const id = fact.values[index]!.id;
  return fact.boolean ? id === 'true' : id;
}

let project: Vocabulary | undefined;

/** Makes a vocabulary the project's: what engines use when none is given (vocabulary.ts registers the file's). */
export function registerProjectVocabulary(v: Vocabulary): Vocabulary {
  project = v;
  return v;
}

/** The project's vocabulary, once registered (by reading vocabulary.yaml in node, or by a browser bundle). */
export function projectVocabulary(): Vocabulary {
  if (!project) throw new Error('no project vocabulary: load it first (vocabulary() in node, registerProjectVocabulary in a browser)');
  return project;
}
