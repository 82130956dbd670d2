// A decision explained for a person: the outcome, what to do, the quoted clauses, and what would change it.
import type { Corpus } from '../policy/corpus.js';
import type { ScenarioJson } from '../vocabulary/scenario.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import type { Decision } from './decision.js';
import { conditionWords, outcomeWords } from './summary.js';

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}

/** Plain-text explanation of one decision. */
export function explainText(decision: Decision, scenario: ScenarioJson, corpus: Corpus, vocab: Vocabulary): string {
  const label = (factId: string, value: unknown) => {
    const fact = vocab.fact(factId);
    return fact?.values.find((v) => v.id === String(value))?.label ?? String(value);
  };
  const jurisdiction = corpus.jurisdictions.get(scenario.actor.jurisdiction)?.name ?? scenario.actor.jurisdiction;
  const agency = vocab.agencies.find((a) => a.id === scenario.actor.agency)?.label ?? scenario.actor.agency;
  const request = vocab.requests.find((r) => r.id === scenario.request)?.label ?? scenario.request;
  const facts = vocab.facts
    .filter((f) => scenario[f.id] !== undefined)
    .map((f) => `${f.id}: ${label(f.id, scenario[f.id])}`);

  const lines: string[] = [];
  lines.push(`${outcomeWords(decision.outcome).toUpperCase()}`);
  lines.push(wrap(decision.summary, 88, '  '));
  lines.push('');
  lines.push(`Situation: ${agency}, ${jurisdiction}, on ${scenario.date}: ${request.toLowerCase()}${facts.length ? ` (${facts.join('; ')})` : ''}.`);
  if (decision.assumptions) {
    const a = decision.assumptions;
    lines.push(`What-if: assuming ${[...a.in_force.map((i) => `${i} in force`), ...a.not_in_force.map((i) => `${i} not in force`)].join(', ')}.`);
  }
  if (decision.governing.length) {
    lines.push('');
    lines.push(decision.outcome === 'conflict' ? 'Rules in conflict:' : 'Because:');
    for (const g of decision.governing) {
      lines.push(`  ${g.title} [${g.instrument}#${g.provision}] — ${g.effect}s (${g.confidence})`);
      lines.push(wrap(`“${g.quote}”`, 86, '    '));
      lines.push(`    Source: ${g.source}`);
    }
  }
  if (decision.depends_on) {
    lines.push('');
    lines.push('It depends:');
    for (const b of decision.depends_on) {
      lines.push(wrap(`${outcomeWords(b.outcome)} when ${conditionWords(b.when)}${b.governing.length ? ` — ${b.governing.join(', ')}` : ''}`, 86, '  • ').replace(/\n {2}• /g, '\n    '));
    }
  }
  if (decision.would_change.length) {
    lines.push('');
    lines.push('What would change the answer:');
    for (const w of decision.would_change) {
      const values = w.values.map((v) => (w.fact === 'actor.agency' ? v : label(w.fact, v))).join(' or ');
      const who = w.fact === 'actor.agency' ? `the actor were ${values}` : `${w.fact.replace(/_/g, ' ')} were ${values}`;
      lines.push(wrap(`if ${who}: ${outcomeWords(w.outcome)}`, 86, '  • ').replace(/\n {2}• /g, '\n    '));
    }
  }
  const notBinding = decision.considered.filter((c) => !c.binding);
  const setAside = decision.considered.filter((c) => c.binding && c.role !== 'governs' && c.role !== 'not_applicable');
  if (setAside.length || notBinding.length) {
    lines.push('');
    lines.push('Also considered:');
    for (const c of [...setAside, ...notBinding]) lines.push(wrap(`${c.instrument}#${c.provision} (${c.effect}): ${c.why}`, 86, '  • ').replace(/\n {2}• /g, '\n    '));
  }
  lines.push('');
  lines.push(`Policy version ${decision.policy_version}`);
  return lines.join('\n');
}
