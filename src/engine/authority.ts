// Authority of a provision (contract 3.2.4): federal > state > local, then statute > regulation > order > directive.
import type { InstrumentKind, JurisdictionKind } from '../policy/schema.js';

/** The level of a government: federal over state over local (county and city are one level). */
export const levelOf: Readonly<Record<JurisdictionKind, number>> = { federal: 3, state: 2, county: 1, city: 1 };

/** The rank of an instrument within one government: statute, charter, ordinance over regulation over order over directive. */
export const rankOf: Readonly<Record<InstrumentKind, number>> = {
  // A binding constitutional holding outranks the statutes of the governments it binds.
  court_decision: 5,
  statute: 4, charter: 4, ordinance: 4, bill: 4,
  regulation: 3,
  executive_order: 2,
  directive: 1, policy: 1, agreement: 1,
  guidance: 0,
};

/** One number ordering authority: level first, then rank within a government. */
export function authority(level: number, rank: number): number {
  return level * 10 + rank;
}
