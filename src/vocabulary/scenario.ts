// Scenarios: validation against the vocabulary, contract-shaped input errors, and the internal fact vector.
import { z } from 'zod';
import { calendarDay } from './dates.js';
import { factValueJson, type Vocabulary } from './model.js';
import { jsonExcerpt, tooDeep } from './nesting.js';

/** A validated scenario. `facts[i]` is the value index of vocabulary fact i, or -1 when unknown. */
export interface Scenario {
  readonly date: string;
  readonly jurisdiction: string;
  readonly agency: string;
  readonly request: string;
  readonly facts: Int8Array;
}

/**
 * A scenario that `parseInto` fills again and again: one object and one fact vector reused, so validating a scenario
 * allocates nothing. Besides the scenario it holds where each part sits in the codec's own lists and the date as a
 * calendar day, so that a reader need not look them up again. Valid only until the next `parseInto` into it.
 */
export interface ScenarioSlot extends Scenario {
  date: string;
  jurisdiction: string;
  agency: string;
  request: string;
  /** Index of the jurisdiction in the codec's jurisdiction ids. */
  jurisdictionIndex: number;
  /** Index of the agency in the vocabulary's agency ids. */
  agencyIndex: number;
  /** Index of the request in the vocabulary's request ids. */
  requestIndex: number;
  /** The date as `calendarDay` gives it. */
  day: number;
}

/** The fact-vector value of a fact not given (or given as "unknown"). */
export const UNKNOWN = -1;

/** The contract's error object (section 5): the field path, what was given and what is allowed. */
export interface InputError {
  path: string;
  given: unknown;
  allowed?: readonly unknown[];
  message: string;
}

/** A scenario that is not valid, with the contract error object naming the field. */
export class ScenarioError extends Error {
  constructor(readonly error: InputError) {
    super(`${error.path}: ${error.message}`);
    this.name = 'ScenarioError';
  }
}

/** Validation of scenarios against the vocabulary and the jurisdictions, their JSON Schema, and the way back to JSON. */
export interface ScenarioCodec {
  /** Validates a scenario in contract form; throws ScenarioError naming the field. */
  parse(input: unknown): Scenario;
  /**
   * Validates a scenario in contract form into `slot` (made by `slot()`) and returns it: `parse` without allocating a
   * scenario. Throws ScenarioError naming the field, as `parse` does (the slot's content is then unspecified).
   */
  parseInto(input: unknown, slot: ScenarioSlot): ScenarioSlot;
  /** An empty slot for `parseInto`, its fact vector sized for this vocabulary. */
  slot(): ScenarioSlot;
  /** Converts a scenario already known to be valid, without validation (hot loops). */
  fromTrusted(input: ScenarioJson): Scenario;
  toJson(scenario: Scenario): ScenarioJson;
  readonly schema: z.ZodType;
  jsonSchema(): Record<string, unknown>;
}

/** A scenario in contract form. */
export type ScenarioJson = {
  date: string;
  actor: { jurisdiction: string; agency: string };
  request: string;
} & { [fact: string]: unknown };

/** The codec for this vocabulary and these jurisdiction ids. */
export function scenarioCodec(vocab: Vocabulary, jurisdictionIds: readonly string[]): ScenarioCodec {
  // Built on first use: the quick path below needs none of it, and a national corpus's 9,360-id enum costs more than
  // the decision it would check.
  let built: z.ZodType | undefined;
  const buildSchema = (): z.ZodType => {
    const jurisdictionEnum = z.enum(jurisdictionIds as [string, ...string[]]).describe('A jurisdiction id, e.g. us/md/montgomery-county');
    const factShape: Record<string, z.ZodType> = {};
    for (const fact of vocab.facts) {
      const values: (string | boolean)[] = fact.values.map((_, i) => factValueJson(fact, i));
      factShape[fact.id] = (
        fact.boolean ? z.union([z.boolean(), z.literal('unknown')]) : z.enum(['unknown', ...(values as string[])] as [string, ...string[]])
      )
        .optional()
        .describe(`${fact.description} Omit or give "unknown" when not known.`);
    }
    return z
      .strictObject({
        date: z.iso.date().describe('The day of the action, YYYY-MM-DD'),
        actor: z
          .strictObject({
            jurisdiction: jurisdictionEnum,
            agency: z.enum(vocab.agencyIds as [string, ...string[]]).describe("The actor's kind of agency"),
          })
          .describe('The public employee asked to act'),
        request: z.enum(vocab.requestIds as [string, ...string[]]).describe('What the actor is asked to do'),
        ...factShape,
      })
      .describe('One question: may (or must) this public employee do this, here, on this date?');
  };
  const schemaOf = () => (built ??= buildSchema());

  const allowedAt = (path: readonly PropertyKey[]): readonly unknown[] | undefined => {
    const [head, second] = path.map(String);
    if (head === 'actor' && second === 'jurisdiction') return jurisdictionIds;
    if (head === 'actor' && second === 'agency') return vocab.agencyIds;
    if (head === 'actor') return ['jurisdiction', 'agency'];
    if (head === 'request') return vocab.requestIds;
    if (head === 'date') return ['YYYY-MM-DD'];
    const fact = head === undefined ? undefined : vocab.fact(head);
    if (fact) return [...fact.values.map((_, i) => factValueJson(fact, i)), 'unknown'];
    return undefined;
  };
  const topKeys = ['date', 'actor', 'request', ...vocab.facts.map((f) => f.id)];

  const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
    let v: unknown = input;
    for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
    return v;
  };

  // What an error shows of a structure given where a value belongs: a shallow one itself (the error object's cap then
  // cuts a long one to an excerpt with its length), a deep one the start of its JSON (never handed to a recursive serializer).
  const shown = (given: unknown): unknown => {
    if (typeof given !== 'object' || given === null) return given;
    return tooDeep(given, 4) ? jsonExcerpt(given) : given;
  };

  const toInputError = (input: unknown, issue: z.core.$ZodIssue): InputError => {
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const path = [...issue.path, key];
      return {
        path: path.join('.'),
        given: key,
        allowed: issue.path.length === 0 ? topKeys : ['jurisdiction', 'agency'],
        message: `unknown field "${key}"`,
      };
    }
    const given = valueAt(input, issue.path);
    const path = issue.path.length ? issue.path.join('.') : '(scenario)';
    if (issue.path.length === 0) return { path, given: input === undefined ? null : typeof input, message: 'a scenario must be a JSON object' };
    const allowed = allowedAt(issue.path);
    const message = given === undefined ? 'required field is missing' : issue.path[0] === 'date' ? 'not a valid date (YYYY-MM-DD)' : 'value not allowed';
    return { path, given: given === undefined ? null : shown(given), ...(allowed ? { allowed } : {}), message };
  };

  const fromTrusted = (input: ScenarioJson): Scenario => {
    const facts = new Int8Array(vocab.facts.length).fill(UNKNOWN);
    for (const fact of vocab.facts) {
      const v = input[fact.id];
      if (v !== undefined && v !== 'unknown') facts[fact.index] = fact.valueIndex(v) ?? UNKNOWN;
    }
    return { date: input.date, jurisdiction: input.actor.jurisdiction, agency: input.actor.agency, request: input.request, facts };
  };

  // The common case without zod: a JSON object that is plainly valid. Anything unusual, valid or not, is left to zod,
  // so this only has to accept nothing zod would reject (scenario.test.ts checks the two agree).
  const jurisdictionPosition = new Map(jurisdictionIds.map((j, i) => [j, i]));
  const agencyPosition = new Map(vocab.agencyIds.map((a, i) => [a, i]));
  const requestPosition = new Map(vocab.requestIds.map((r, i) => [r, i]));
  const isPlainObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
  /** Fills `into` when the input is plainly valid; false leaves the verdict to zod (`into` then holds anything). */
  const plainlyValid = (input: unknown, into: ScenarioSlot): boolean => {
    if (!isPlainObject(input)) return false;
    const facts = into.facts.fill(UNKNOWN);
    let day = -1, request = -1, jurisdiction = -1, agency = -1;
    for (const key in input) {
      const v = input[key];
      if (key === 'date') {
        day = calendarDay(v);
        if (day < 0) return false;
        into.date = v as string;
      } else if (key === 'request') {
        if (typeof v !== 'string') return false;
        request = requestPosition.get(v) ?? -1;
        if (request < 0) return false;
        into.request = v;
      } else if (key === 'actor') {
        if (!isPlainObject(v)) return false;
        for (const k in v) if (k !== 'jurisdiction' && k !== 'agency') return false;
        const { jurisdiction: j, agency: a } = v;
        if (typeof j !== 'string' || typeof a !== 'string') return false;
        jurisdiction = jurisdictionPosition.get(j) ?? -1;
        agency = agencyPosition.get(a) ?? -1;
        if (jurisdiction < 0 || agency < 0) return false;
        into.jurisdiction = j;
        into.agency = a;
      } else {
        const fact = vocab.fact(key);
        if (!fact) return false;
        if (v === undefined || v === 'unknown') continue;
        const index = fact.valueIndex(v);
        if (index === undefined) return false;
        facts[fact.index] = index;
      }
    }
    if (day < 0 || request < 0 || jurisdiction < 0 || agency < 0) return false;
    into.day = day;
    into.requestIndex = request;
    into.jurisdictionIndex = jurisdiction;
    into.agencyIndex = agency;
    return true;
  };

  const newSlot = (): ScenarioSlot => ({
    date: '', jurisdiction: '', agency: '', request: '', facts: new Int8Array(vocab.facts.length).fill(UNKNOWN),
    jurisdictionIndex: -1, agencyIndex: -1, requestIndex: -1, day: -1,
  });

  const parseInto = (input: unknown, slot: ScenarioSlot): ScenarioSlot => {
    if (plainlyValid(input, slot)) return slot;
    const result = schemaOf().safeParse(input);
    if (!result.success) throw new ScenarioError(toInputError(input, result.error.issues[0]!));
    const s = fromTrusted(result.data as ScenarioJson);
    slot.facts.set(s.facts);
    slot.date = s.date;
    slot.jurisdiction = s.jurisdiction;
    slot.agency = s.agency;
    slot.request = s.request;
    slot.day = calendarDay(s.date);
    slot.jurisdictionIndex = jurisdictionPosition.get(s.jurisdiction)!;
    slot.agencyIndex = agencyPosition.get(s.agency)!;
    slot.requestIndex = requestPosition.get(s.request)!;
    return slot;
  };
  // parse's own slot: what it returns is a fresh scenario copied out of it.
  const parseSlot = newSlot();

  return {
    get schema() {
      return schemaOf();
    },
    parse(input) {
      const s = parseInto(input, parseSlot);
      return { date: s.date, jurisdiction: s.jurisdiction, agency: s.agency, request: s.request, facts: s.facts.slice() };
    },
    parseInto,
    slot: newSlot,
    fromTrusted,
    toJson(s) {
      const out: ScenarioJson = { date: s.date, actor: { jurisdiction: s.jurisdiction, agency: s.agency }, request: s.request };
      for (const fact of vocab.facts) {
        const i = s.facts[fact.index]!;
        if (i !== UNKNOWN) out[fact.id] = factValueJson(fact, i);
      }
      return out;
    },
    jsonSchema: () => z.toJSONSchema(schemaOf(), { target: 'draft-7', io: 'input' }) as Record<string, unknown>,
  };
}
