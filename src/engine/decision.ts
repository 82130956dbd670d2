// The decision object of contract 3.4, the outcome vocabulary, and the typed values its words are made from:
// a ruling (the decision before wording), its summary and the reason of each considered provision.
import type { NotInForceReason, Provision } from '../policy/corpus.js';
import type { Confidence, Effect, InstrumentKind } from '../policy/schema.js';

// The outcome list is the policy layer's (policy tests name outcomes too), written once.
export { outcomes, type Outcome } from '../policy/schema.js';
import type { Outcome } from '../policy/schema.js';

/** A fact value as a scenario writes it: a value id, or a boolean for boolean facts. */
export type FactValue = string | boolean;

/** A provision that decides the outcome, with what a person needs to act on it and check it. */
export interface GoverningProvision {
  readonly instrument: string;
  readonly provision: string;
  readonly jurisdiction: string;
  readonly title: string;
  readonly kind: InstrumentKind;
  readonly effect: Effect;
  /** What staff should do, in the decision's language (the provision's own, or its translation). */
  readonly instruction: string;
  /** The clause as enacted; never translated. */
  readonly quote: string;
  /** Present (true) when `quote` is a paraphrase, not the verbatim text: never shown between quotation marks. */
  readonly paraphrase?: true;
  readonly source: string;
  readonly confidence: Confidence;
  /** Confidence in the instrument itself: its existence, status and dates. */
  readonly instrument_confidence: Confidence;
}

/** What happened to a provision the engine looked at. */
export type Role = 'governs' | 'not_applicable' | 'defeated' | 'voided' | 'outranked' | 'not_binding' | 'depends';

/** One way a provision's conditions fail: the first fact of one alternative whose value it does not cover. */
export interface UnmetCondition {
  readonly fact: string;
  /** The scenario's value (or, when unknown, the value of the filling examined). */
  readonly given: FactValue;
  /** The values this alternative applies to. */
  readonly applies_to: readonly FactValue[];
}

/**
 * Why a provision does or does not bind this actor on this date (contract section 6), as data: `why` is worded from
 * it by the presentation layer, so no program parses prose. `by` is an `<instrument>#<provision>` ref.
 */
export type Reason =
  | { readonly code: 'governs' }
  | { readonly code: 'conditions_not_met'; readonly unmet: readonly UnmetCondition[] }
  | { readonly code: 'defeated_by'; readonly by: string }
  | { readonly code: 'voided_by'; readonly by: string }
  | { readonly code: 'outranked_by'; readonly by: string }
  /** A permission set aside because a mandatory rule governs. */
  | { readonly code: 'subordinate_to'; readonly by: string }
  /** Its role differs between fillings of the unknown facts (ids listed). */
  | { readonly code: 'depends_on_unknown'; readonly facts: readonly string[] }
  | NotBindingReason;

/** Why a provision cannot bind the actor at all on this date (its trace entry has `binding: false`). */
export type NotBindingReason =
  | NotInForceReason
  | { readonly code: 'assumed_not_in_force' }
  | { readonly code: 'provision_not_yet'; readonly from: string }
  | { readonly code: 'provision_ended'; readonly until: string }
  /** An order, directive, policy or agreement of an ancestor government binds only that government's staff. */
  | { readonly code: 'own_government_only'; readonly kind: InstrumentKind; readonly jurisdiction: string }
  /** An own-government order of `jurisdiction` does not bind a jail that `operator` (another government) runs. */
  | { readonly code: 'jail_run_by_other'; readonly kind: InstrumentKind; readonly jurisdiction: string; readonly operator: string }
  /** A law that binds only the governments below its issuer (their local facilities), not the issuer's own staff. */
  | { readonly code: 'governments_below_only'; readonly kind: InstrumentKind; readonly jurisdiction: string }
  /** A court decision whose holdings do not bind here: persuasive only. */
  | { readonly code: 'persuasive_only' }
  | { readonly code: 'agency_not_bound'; readonly binds: readonly string[]; readonly agency: string };

/** Every reason code, for checks that each has words in every language. */
export const reasonCodes = [
  'governs', 'conditions_not_met', 'defeated_by', 'voided_by', 'outranked_by', 'subordinate_to', 'depends_on_unknown',
  'not_in_force', 'advisory', 'assumed_not_in_force', 'provision_not_yet', 'provision_ended', 'own_government_only',
  'jail_run_by_other', 'governments_below_only', 'persuasive_only', 'agency_not_bound',
] as const satisfies readonly Reason['code'][];

/** A provision in the trace, without words: its role and the reason for it. */
export interface ConsideredEntry {
  readonly instrument: string;
  readonly provision: string;
  readonly jurisdiction: string;
  readonly effect: Effect;
  /** Whether the provision binds this actor on this date at all (in force, reach, agency). */
  readonly binding: boolean;
  readonly role: Role;
  readonly reason: Reason;
}

/** A trace entry of the contract's decision: the typed reason and its words. */
export interface ConsideredProvision extends ConsideredEntry {
  readonly why: string;
}

/** A change of one fact that gives another outcome. */
export interface WouldChange {
  readonly fact: string;
  readonly values: readonly FactValue[];
  readonly outcome: Outcome;
}

/** One outcome that some fillings of the unknown facts lead to (contract 3.3). */
export interface DependsBranch {
  readonly outcome: Outcome;
  /** Alternatives: the outcome follows when any one holds; a fact not named may be anything. */
  readonly when: readonly Readonly<Record<string, readonly FactValue[]>>[];
  /** `<instrument>#<provision>` refs of the provisions that govern in this branch. */
  readonly governing: readonly string[];
}

/** What the summary sentence says, as data; `unconfirmed` adds the caveat to check with counsel. */
export type Summary =
  /** Follow the lead governing provision's instruction. */
  | { readonly code: 'instruction'; readonly provision: string; readonly unconfirmed: boolean }
  | { readonly code: 'no_rule' }
  /** Rules of equal rank disagree: these governing provisions (refs), in order. */
  | { readonly code: 'conflict'; readonly sides: readonly string[]; readonly unconfirmed: boolean }
  /** The outcome turns on unknown facts: see depends_on. */
  | { readonly code: 'depends' };

/** The what-if a decision was made under. */
export interface Assumptions {
  readonly in_force: readonly string[];
  readonly not_in_force: readonly string[];
}

/** A decision before it is put into words: every contract field as data. */
export interface Ruling {
  readonly outcome: Outcome;
  readonly summary: Summary;
  /** Governing provisions; `instruction` is the provision's own (English) text until worded. */
  readonly governing: readonly GoverningProvision[];
  readonly considered: readonly ConsideredEntry[];
  readonly would_change: readonly WouldChange[];
  readonly depends_on: readonly DependsBranch[] | null;
  readonly policy_version: string;
  readonly assumptions?: Assumptions;
}

/** The decision object of contract 3.4, in one language: the ruling with its summary and reasons in words. */
export interface Decision extends Omit<Ruling, 'summary' | 'considered'> {
  readonly summary: string;
  readonly considered: readonly ConsideredProvision[];
}

/**
 * The words of decisions in one language, given to the engine by the presentation layer (which makes them from the
 * message catalogs): the engine keeps each language's encoded decisions apart, keyed by this object.
 */
export interface DecisionWords {
  readonly lang: string;
  /** The summary sentence; `dependsOn` is the decision's own, for a `depends` summary. */
  summary(summary: Summary, dependsOn: readonly DependsBranch[] | null): string;
  /** A trace entry's `why`, from its reason and the instrument it belongs to (whose kind some languages agree with). */
  why(reason: Reason, instrument: string): string;
  /** A governing provision's instruction in this language (a translation, or the provision's own). */
  instruction(provision: Provision): string;
}
