// A decision explained for a person, in a language: the outcome, what to do, the quoted clauses, what it depends on,
// what would change it, and what else was considered, worded from the catalogs (messages/<lang>/explain.yaml).
import type { Decision } from '../../engine/decision.js';
import type { ScenarioJson } from '../../vocabulary/scenario.js';
import type { PresentationWords } from './words.js';

/** Text wrapped at `width` columns, each line indented. */
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

/** A bullet item wrapped, its continuation lines indented under the text. */
const bullet = (text: string) => wrap(text, 86, '  • ').replace(/\n {2}• /g, '\n    ');

/** The first letter in lower case ("Hold past release" inside a sentence). */
const lowerFirst = (text: string, lang: string) => text.charAt(0).toLocaleLowerCase(lang) + text.slice(1);

/** Plain-text explanation of one decision, in the words' language (the decision must be worded in it too). */
export function explainText(decision: Decision, scenario: ScenarioJson, words: PresentationWords): string {
  const { catalog: c, vocabulary: v } = words.sources;
  const f = (id: string, params?: Record<string, string>) => c.format(`explain.${id}`, params);
  const lang = c.lang;
  // The scenario as the codec writes it: known facts only, in vocabulary order.
  const facts = Object.keys(scenario)
    .filter((k) => k !== 'date' && k !== 'actor' && k !== 'request' && scenario[k] !== undefined && scenario[k] !== 'unknown')
    .map((id) => f('fact', { fact: v.fact(id).label, value: v.value(id, scenario[id] as string | boolean).label }));
  const situation = {
    agency: v.agency(scenario.actor.agency).label,
    jurisdiction: words.jurisdictionName(scenario.actor.jurisdiction),
    date: words.date(scenario.date),
    request: lowerFirst(v.request(scenario.request).label, lang),
  };

  const lines: string[] = [];
  lines.push(words.outcome(decision.outcome).toLocaleUpperCase(lang));
  lines.push(wrap(decision.summary, 88, '  '));
  lines.push('');
  lines.push(facts.length ? f('situation_with_facts', { ...situation, facts: facts.join('; ') }) : f('situation', situation));
  if (decision.assumptions) {
    const a = decision.assumptions;
    const assumed = [
      ...a.in_force.map((instrument) => f('assumed_in_force', { instrument })),
      ...a.not_in_force.map((instrument) => f('assumed_not_in_force', { instrument })),
    ];
    lines.push(f('what_if', { assumptions: c.list(assumed, 'and') }));
  }
  if (decision.governing.length) {
    lines.push('');
    lines.push(f(decision.outcome === 'conflict' ? 'heading.conflict' : 'heading.because'));
    for (const g of decision.governing) {
      lines.push(`  ${f('governing', {
        title: g.title, ref: `${g.instrument}#${g.provision}`,
        effect: c.format(`decision.effect.verb.${g.effect}`), confidence: c.format(`decision.confidence.${g.confidence}`),
      })}`);
      lines.push(wrap(g.paraphrase ? f('paraphrase', { text: g.quote }) : f('quote', { quote: g.quote }), 86, '    '));
      lines.push(`    ${f('source', { source: g.source })}`);
    }
  }
  if (decision.depends_on) {
    lines.push('');
    lines.push(f('heading.depends'));
    for (const b of decision.depends_on) {
      const branch = words.branch(b);
      lines.push(bullet(b.governing.length ? f('depends_governing', { branch, provisions: b.governing.join(', ') }) : branch));
    }
  }
  if (decision.would_change.length) {
    lines.push('');
    lines.push(f('heading.would_change'));
    for (const w of decision.would_change) {
      const outcome = words.outcome(w.outcome);
      lines.push(bullet(w.fact === 'actor.agency'
        ? f('would_change_agency', { agencies: c.list(w.values.map((a) => v.agency(String(a)).plural), 'or'), outcome })
        : f('would_change_fact', { fact: v.fact(w.fact).name, values: words.values(w.fact, w.values), outcome })));
    }
  }
  const notBinding = decision.considered.filter((x) => !x.binding);
  const setAside = decision.considered.filter((x) => x.binding && x.role !== 'governs' && x.role !== 'not_applicable');
  if (setAside.length || notBinding.length) {
    lines.push('');
    lines.push(f('heading.also_considered'));
    for (const x of [...setAside, ...notBinding]) {
      lines.push(bullet(f('considered', { ref: `${x.instrument}#${x.provision}`, effect: c.format(`decision.effect.noun.${x.effect}`), why: x.why })));
    }
  }
  lines.push('');
  lines.push(f('policy_version', { version: decision.policy_version }));
  return lines.join('\n');
}
