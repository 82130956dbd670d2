// The decision object of contract 3.4, and the outcome vocabulary.
import type { Confidence, Effect, InstrumentKind } from '../policy/schema.js';

// The outcome list is the policy layer's (policy tests name outcomes too), written once.
export { outcomes, type Outcome } from '../policy/schema.js';
import type { Outcome } from '../policy/schema.js';

export interface GoverningProvision {
  readonly instrument: string;
  readonly provision: string;
  readonly jurisdiction: string;
  readonly title: string;
  readonly kind: InstrumentKind;
  readonly effect: Effect;
  readonly instruction: string;
  readonly quote: string;
  readonly source: string;
  readonly confidence: Confidence;
  /** Confidence in the instrument itself: its existence, status and dates. */
  readonly instrument_confidence: Confidence;
}

/** What happened to a provision the engine looked at. */
export type Role = 'governs' | 'not_applicable' | 'defeated' | 'voided' | 'outranked' | 'not_binding' | 'depends';

export interface ConsideredProvision {
  readonly instrument: string;
  readonly provision: string;
  readonly jurisdiction: string;
  readonly effect: Effect;
  /** Whether the provision binds this actor on this date at all (in force, reach, agency). */
  readonly binding: boolean;
  readonly role: Role;
  readonly why: string;
}

export interface WouldChange {
  readonly fact: string;
  readonly values: readonly (string | boolean)[];
  readonly outcome: Outcome;
}

export interface DependsBranch {
  readonly outcome: Outcome;
  /** Alternatives: the outcome follows when any one holds; a fact not named may be anything. */
  readonly when: readonly Readonly<Record<string, readonly (string | boolean)[]>>[];
  /** `<instrument>#<provision>` refs of the provisions that govern in this branch. */
  readonly governing: readonly string[];
}

export interface Decision {
  readonly outcome: Outcome;
  readonly summary: string;
  readonly governing: readonly GoverningProvision[];
  readonly considered: readonly ConsideredProvision[];
  readonly would_change: readonly WouldChange[];
  readonly depends_on: readonly DependsBranch[] | null;
  readonly policy_version: string;
  readonly assumptions?: { readonly in_force: readonly string[]; readonly not_in_force: readonly string[] };
}
