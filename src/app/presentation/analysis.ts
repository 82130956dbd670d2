// The words of the analyses in one language: diff and gaps summaries, table summaries and Markdown, timelines and
// coverage, worded from the analysis layer's typed values with the message catalogs and the vocabulary's words.
//
// Conditions are always said in positive terms: the values each fact takes in the scenarios a sentence covers, never
// "unless …", so no sentence can be read as saying what holds in the scenarios it leaves out.
import type { CoverageReport } from '../../analysis/coverage.js';
import type { DiffGroup, DiffSummarizer, DiffWords } from '../../analysis/diff.js';
import type { Condition, Side } from '../../analysis/space.js';
import type { TableRow, TableSummaryEntry } from '../../analysis/table.js';
import type { TimelineEntry } from '../../analysis/timeline.js';
import type { Corpus } from '../../policy/corpus.js';
import type { Vocabulary } from '../../vocabulary/model.js';
import type { VocabularyWords } from '../../vocabulary/words.js';
import type { Catalog, MessageParams } from './catalog.js';
import { jurisdictionNameIn } from './words.js';

/** Everything the analyses' words are made from. */
export interface AnalysisWordSources {
  readonly catalog: Catalog;
  /** The vocabulary's words in the catalog's language (plurals, fact names, values' short forms). */
  readonly vocabulary: VocabularyWords;
  /** For jurisdiction names and instrument titles. */
  readonly corpus: Corpus;
}

/** The analyses' words in one language. */
export interface AnalysisWords extends DiffWords {
  readonly lang: string;
  /** A set of scenarios: "when basis is a judicial warrant or a court order, and matter is drugs". */
  condition(when: Condition): string;
  /** The whole text report of a diff (or gaps): a header, then the groups under each request. */
  diffText(A: Side, B: Side, summary: DiffSummarizer): string;
  /** The text summary of a table. */
  tableSummaryText(entries: Iterable<TableSummaryEntry>): string;
  /** A table as Markdown, one table per jurisdiction and agency (facts as ids, for a memo). */
  tableMarkdown(vocab: Vocabulary, rows: Iterable<TableRow>): Generator<string>;
  /** One change of a timeline: "Hold past release, for police, when …: no rule before, prohibited from then on". */
  timelineChange(group: DiffGroup): string;
  /** The text of a timeline. */
  timelineText(jurisdiction: string, entries: Iterable<TimelineEntry>): string;
  /** The text of a coverage report. */
  coverageText(report: CoverageReport): string;
}

/** Makes the analyses' words for a language. */
export function analysisWords(sources: AnalysisWordSources): AnalysisWords {
  const { catalog: c, vocabulary: v, corpus } = sources;
  const f = (id: string, params?: MessageParams) => c.format(`analysis.${id}`, params);
  const name = (jurisdiction: string) => jurisdictionNameIn(corpus, jurisdiction, c.lang);
  const agencies = (ids: readonly string[]) => c.list(ids.map((a) => v.agency(a).plural), 'and');
  const request = (id: string) => v.request(id).label;

  const condition = (when: Condition): string => {
    const facts = Object.entries(when).map(([fact, values]) => {
      const whole = values.length === 1 ? v.value(fact, values[0]!).condition : undefined;
      return whole ?? f('condition.is', { fact: v.fact(fact).name, values: c.list(values.map((x) => v.value(fact, x).short), 'or') });
    });
    if (!facts.length) return f('condition.every');
    return f('condition.when', { facts: facts.reduce((before, next) => f('condition.and', { before, next })) });
  };

  const side = (s: Side): string => {
    let text = name(s.jurisdiction);
    if (s.name.dated) text = f('side.dated', { name: text, date: s.date });
    const a = s.engine.assumptions;
    const inForce = (a?.in_force ?? []).filter((id) => id !== s.name.adopted);
    if (inForce.length) text = f('side.in_force', { name: text, instruments: c.list(inForce, 'and') });
    if (a?.not_in_force.length) text = f('side.not_in_force', { name: text, instruments: c.list(a.not_in_force, 'and') });
    if (s.name.adopted) text = f('side.adopted', { name: text, instrument: s.name.adopted });
    return text;
  };

  const group = (A: Side, B: Side, g: DiffGroup): string =>
    f('diff.group', {
      agencies: agencies(g.agencies), when: condition(g.when),
      a: side(A), a_verdict: f(`verdict.${g.a}`), b: side(B), b_verdict: f(`verdict.${g.b}`),
    });

  const timelineChange = (g: DiffGroup): string =>
    f('timeline.change', {
      request: request(g.request), agencies: agencies(g.agencies), when: condition(g.when), before: f(`outcome.${g.a}`), after: f(`outcome.${g.b}`),
    });

  return {
    lang: c.lang,
    condition,
    side,
    group,
    timelineChange,

    diffText(A, B, summary) {
      const header = f('diff.header', { a: side(A), a_id: A.jurisdiction, a_date: A.date, b: side(B), b_id: B.jurisdiction, b_date: B.date });
      if (!summary.rows) return `${f('diff.none', { header })}\n`;
      const lines = [f('diff.total', { header, scenarios: summary.total, rows: summary.rows })];
      let current = '';
      for (const g of summary.groups(A.engine.vocabulary)) {
        if (g.request !== current) {
          current = g.request;
          lines.push('', f('diff.request', { label: request(g.request), request: g.request }));
        }
        lines.push(`  - ${group(A, B, g)} ${f('diff.scenarios', { scenarios: g.scenarios, agencies: g.agencies.length })}`);
      }
      return `${lines.join('\n')}\n`;
    },

    tableSummaryText(entries) {
      const lines: string[] = [];
      let heading = '';
      for (const e of entries) {
        if (e.jurisdiction !== heading) {
          if (heading) lines.push('');
          heading = e.jurisdiction;
          lines.push(f('table.heading', { name: name(e.jurisdiction), jurisdiction: e.jurisdiction, date: e.date }));
        }
        const label = `  ${e.agency.padEnd(11)} ${e.request.padEnd(22)} `;
        const said = e.outcomes.map((o) => {
          const text = f('table.line', { outcome: f(`outcome.${o.outcome}`), when: condition(o.when) });
          return o.governing.length ? f('table.governing', { text, governing: o.governing.join(', ') }) : text;
        });
        if (said.length === 1) lines.push(`${label}${said[0]}`);
        else lines.push(label.trimEnd(), ...said.map((t) => `      ${t}`));
      }
      if (heading) lines.push('');
      return `${lines.join('\n')}\n`;
    },

    *tableMarkdown(vocab, rows) {
      const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
      let heading = '';
      for (const r of rows) {
        const s = r.scenario;
        if (`${s.jurisdiction}|${s.agency}` !== heading) {
          heading = `${s.jurisdiction}|${s.agency}`;
          const title = f('table.markdown.heading', { name: name(s.jurisdiction), agency: v.agency(s.agency).plural, date: s.date });
          yield `\n### ${title}\n\n${f('table.markdown.columns')}\n|---|---|---|---|\n`;
        }
        const facts = vocab.factsFor(s.request).map((fact) => {
          const at = s.facts[fact.index]!;
          return `${fact.id}: ${at >= 0 ? fact.values[at]!.id : f('table.markdown.any')}`;
        });
        yield `| ${cell(s.request)} | ${cell(facts.join(', ') || '—')} | ${r.outcome} | ${cell(r.governing.join(', ') || '—')} |\n`;
      }
    },

    timelineText(jurisdiction, entries) {
      const lines = [f('timeline.title', { name: name(jurisdiction), jurisdiction })];
      let any = false;
      for (const e of entries) {
        any = true;
        lines.push('', f('timeline.changed', { date: e.date, scenarios: e.scenarios }));
        for (const ch of e.instruments) {
          const instrument = `${ch.instrument}${ch.provision ? `#${ch.provision}` : ''}`;
          lines.push(`  ${f(`timeline.${ch.change}`, { instrument, title: ch.title })}`);
        }
        for (const g of e.summary) lines.push(`    ${timelineChange(g)}`);
      }
      if (!any) lines.push('', f('timeline.nothing'));
      return `${lines.join('\n')}\n`;
    },

    coverageText(r) {
      const pct = (n: number, d: number) => (d ? f('coverage.percent', { value: (100 * n) / d }) : f('coverage.none'));
      const lines = [
        f('coverage.provisions', { exercised: r.provisions.exercised, total: r.provisions.total, percent: pct(r.provisions.exercised, r.provisions.total) }),
        ...r.provisions.untested.map((p) => `  ${f('coverage.untested', { provision: p })}`),
        '',
        f('coverage.space', { date: r.at, exercised: r.rowsExercised, rows: r.rows, percent: pct(r.rowsExercised, r.rows) }),
      ];
      let current = '';
      for (const s of r.space) {
        if (s.jurisdiction !== current) {
          current = s.jurisdiction;
          lines.push(`  ${f('coverage.jurisdiction', { name: name(s.jurisdiction), jurisdiction: s.jurisdiction })}`);
        }
        const missing = s.outcomes.filter((o) => !s.outcomesExercised.includes(o));
        const never = missing.length ? `  ${f('coverage.never_tested', { outcomes: missing.map((o) => f(`outcome.${o}`)).join(', ') })}` : '';
        lines.push(`    ${s.request.padEnd(22)} ${`${s.exercised}/${s.rows}`.padStart(11)} ${pct(s.exercised, s.rows).padStart(7)}${never}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
