// The scenario vocabulary as a Markdown page (docs/vocabulary.md): every request, agency, fact and value, with its
// English and Spanish words, rendered from the vocabulary data so the page cannot say something the data does not.
import type { Vocabulary } from './model.js';
import type { VocabularyWords } from './words.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The vocabulary page: the scenario's shape, then requests, agencies and facts (with the requests each fact matters
 * to and each value's words), each term in English and in Spanish. `words` are the vocabulary's words per language.
 */
export function vocabularyMarkdown(vocab: Vocabulary, en: VocabularyWords, es: VocabularyWords): string {
  const out: string[] = [
    '# The scenario vocabulary',
    '',
    '<!-- Generated from vocabulary/vocabulary.yaml and vocabulary/es.yaml by scripts/docs.mjs; do not edit by hand. -->',
    '',
    'A scenario is one question: may (or must) this public employee do this, here, on this date? It is a JSON object',
    'with `date` (YYYY-MM-DD), `actor` (`jurisdiction`, an id from `trustrules jurisdictions`, and `agency`), `request`,',
    'and any of the facts below. A fact left out, or given as `"unknown"`, is filled in every way: the outcome is the',
    'one every filling-in shares, or `depends`. Ids never change with the language; the words do (`--lang es`, `?lang=es`).',
    '',
    '```json',
    '{"date": "2019-03-01", "actor": {"jurisdiction": "us/md/baltimore-county", "agency": "corrections"},',
    ' "request": "detain_past_release", "basis": "ice_detainer"}',
    '```',
    '',
    `Vocabulary version ${vocab.version}: ${vocab.requests.length} requests, ${vocab.agencies.length} agencies, ${vocab.facts.length} facts.`,
    '',
    '## Requests (`request`)',
    '',
    '| id | English | Español |',
    '|---|---|---|',
    ...vocab.requests.map((r) => `| \`${r.id}\` | **${cell(en.request(r.id).label)}**: ${cell(en.request(r.id).description)} | **${cell(es.request(r.id).label)}**: ${cell(es.request(r.id).description)} |`),
    '',
    '## Agencies (`actor.agency`)',
    '',
    '| id | English | Español |',
    '|---|---|---|',
    ...vocab.agencies.map((a) => `| \`${a.id}\` | **${cell(en.agency(a.id).label)}**: ${cell(en.agency(a.id).description)} | **${cell(es.agency(a.id).label)}**: ${cell(es.agency(a.id).description)} |`),
    '',
    'An agency can be asked every request unless listed here (analyses and `would_change` offer no other):',
    '',
    ...vocab.agencies.filter((a) => a.requests.length < vocab.requests.length).map((a) => `- \`${a.id}\`: ${a.requests.map((r) => `\`${r}\``).join(', ')}`),
    '',
    '## Facts',
    '',
    'Each fact matters to some requests only; a provision may read a fact only if it matters to every request it covers,',
    'and the guide asks only the facts that matter to the request.',
  ];
  for (const f of vocab.facts) {
    const [e, s] = [en.fact(f.id), es.fact(f.id)];
    const requests = f.requests.length === vocab.requests.length ? 'every request' : f.requests.map((r) => `\`${r}\``).join(', ');
    out.push(
      '',
      `### \`${f.id}\`${f.boolean ? ' (true or false)' : ''}`,
      '',
      `${e.description} Matters to ${requests}.`,
      '',
      `- Question: ${e.question}`,
      `- Pregunta: ${s.question}`,
      '',
      '| value | English | Español |',
      '|---|---|---|',
      ...f.values.map((v) => {
        const value = f.boolean ? v.id === 'true' : v.id;
        const [ve, vs] = [en.value(f.id, value), es.value(f.id, value)];
        return `| \`${v.id}\` | **${cell(ve.label)}**: ${cell(ve.description)} | **${cell(vs.label)}**: ${cell(vs.description)} |`;
      }),
    );
  }
  return `${out.join('\n')}\n`;
}
