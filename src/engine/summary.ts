// The one- or two-sentence summary a decision carries, built from its governing provisions' instructions.
import type { DependsBranch, GoverningProvision, Outcome } from './decision.js';

const words = (v: string | boolean) => String(v).replace(/_/g, ' ');

export function outcomeWords(outcome: Outcome): string {
  switch (outcome) {
    case 'prohibited': return 'prohibited';
    case 'required': return 'required';
    case 'permitted': return 'permitted';
    case 'no_rule': return 'no binding rule';
    case 'conflict': return 'a conflict of equal-rank rules';
    case 'depends': return 'it depends';
  }
}

function listWords(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** How a depends branch's conditions read: "basis is judicial warrant or court order". */
export function conditionWords(when: DependsBranch['when']): string {
  const alternatives = when.map((cond) => {
    const parts = Object.entries(cond).map(([fact, values]) => `${words(fact)} is ${listWords(values.map(words))}`);
    return parts.length ? parts.join(' and ') : 'in every other case';
  });
  return alternatives.join('; or when ');
}

export function summarize(outcome: Outcome, governing: readonly GoverningProvision[], dependsOn: readonly DependsBranch[] | null): string {
  const lead = governing[0];
  const caveat = governing.some((g) => g.confidence === 'unconfirmed' || g.instrument_confidence === 'unconfirmed')
    ? ' (This rests on a provision whose text, status or dates are unconfirmed: check with counsel.)'
    : '';
  switch (outcome) {
    case 'prohibited':
    case 'required':
    case 'permitted':
      return `${lead!.instruction}${caveat}`;
    case 'no_rule':
      return 'No binding rule in force addresses this; general law and your agency\'s discretion apply.';
    case 'conflict': {
      const sides = governing.map((g) => `${g.title} (${g.effect}s)`);
      return `Rules of equal rank disagree: ${listWords(sides)}. Do not act on either alone: escalate to counsel.${caveat}`;
    }
    case 'depends': {
      const branches = (dependsOn ?? []).map((b) => `${outcomeWords(b.outcome)} when ${conditionWords(b.when)}`);
      return `It depends on facts not given: ${branches.join('; ')}.`;
    }
  }
}
