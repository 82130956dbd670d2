// The /practice page: for each Maryland facility, its declines over time as an inline SVG chart with every change of
// the rules marked, a table of the same numbers, who runs the facility and on what source; server-rendered HTML that
// needs no JavaScript, in English or Spanish from messages/<lang>/replay.yaml.
import path from 'node:path';
import type { Catalog, Lang } from '../app/presentation/messages.js';
import type { Engine } from '../engine/engine.js';
import type { Outcome } from '../engine/decision.js';
import { packageRoot } from '../vocabulary/vocabulary.js';
import type { AggregateReport, ChangeJson, FacilityJson, RecordReport } from './report.js';
import { replayFile } from './run.js';

/** What the page shows: the replay of NPR's facility-year aggregate and of ICE's FY2015 Maryland records. */
export interface PracticeData {
  readonly aggregate: AggregateReport;
  readonly records: RecordReport;
  /** Jurisdiction names by id (proper names, the same in every language). */
  readonly jurisdictionNames: ReadonlyMap<string, string>;
}

/** The bundled real data the page replays (data/detainers/). */
export const practiceFiles = {
  aggregate: path.join(packageRoot, 'data', 'detainers', 'npr-declined-vs-everythingelse.csv'),
  records: path.join(packageRoot, 'data', 'detainers', 'npr-maryland-fy15.csv'),
};

/** Replays the bundled data with an engine. */
export async function practiceData(engine: Engine, files = practiceFiles): Promise<PracticeData> {
  const aggregate = (await replayFile(files.aggregate, engine, { format: 'npr-aggregate' })) as AggregateReport;
  const records = (await replayFile(files.records, engine, { format: 'npr', by: 'month' })) as RecordReport;
  const jurisdictionNames = new Map([...engine.corpus.jurisdictions.values()].map((j) => [j.id, j.name]));
  return { aggregate, records, jurisdictionNames };
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe for HTML and SVG, in content and in quoted attributes. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

interface Bar {
  /** The period's first and last day (inclusive), YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly value: number;
}

interface Marker {
  readonly date: string;
  readonly label: string;
}

const W = 640;
const H = 220;
const M = { left: 44, right: 12, top: 16, bottom: 34 };
const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** A bar chart over time as SVG: bars spanning their periods, dashed vertical lines at the markers. */
export function svgChart(
  id: string, title: string, desc: string, bars: readonly Bar[], markers: readonly Marker[], domain: { from: string; to: string },
  ticks: readonly Omit<Bar, 'value'>[], yLabel: string,
): string {
  const x0 = day(domain.from);
  const x1 = day(domain.to) + 86_400_000;
  const x = (t: number) => M.left + ((t - x0) / (x1 - x0)) * (W - M.left - M.right);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = max <= 5 ? 1 : max <= 10 ? 2 : max <= 25 ? 5 : max <= 50 ? 10 : 20;
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => H - M.bottom - (v / top) * (H - M.top - M.bottom);
  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`);
  }
  parts.push(`<text x="12" y="${(M.top + (H - M.bottom)) / 2}" transform="rotate(-90 12 ${(M.top + (H - M.bottom)) / 2})" text-anchor="middle">${escapeHtml(yLabel)}</text>`);
  for (const b of bars) {
    const left = x(day(b.from)) + 1;
    const right = x(day(b.to) + 86_400_000) - 1;
    const width = Math.max(1, right - left);
    parts.push(`<rect x="${left.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${width.toFixed(1)}" height="${(y(0) - y(b.value)).toFixed(1)}" class="bar"><title>${escapeHtml(`${b.label}: ${b.value}`)}</title></rect>`);
  }
  // Axis labels: one per period of the domain (every other one when there are many), bars or not.
  const every = ticks.length > 12 ? 2 : 1;
  ticks.forEach((b, i) => {
    if (i % every) return;
    const cx = (x(day(b.from)) + x(day(b.to) + 86_400_000)) / 2;
    parts.push(`<text x="${cx.toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeHtml(b.label)}</text>`);
  });
  markers.forEach((m, i) => {
    const mx = x(day(m.date));
    parts.push(`<line x1="${mx.toFixed(1)}" x2="${mx.toFixed(1)}" y1="${M.top - 4}" y2="${H - M.bottom}" class="marker"/>`);
    // Labels right of the line in the left half, left of it in the right half, so they stay inside the chart.
    const left = mx > W / 2;
    parts.push(`<text x="${(left ? mx - 4 : mx + 4).toFixed(1)}" y="${M.top + 8 + 12 * i}" text-anchor="${left ? 'end' : 'start'}" class="marker-label">${escapeHtml(m.label)}</text>`);
  });
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(0)}" y2="${y(0)}" class="axis"/>`);
  return `<svg id="${id}" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" focusable="false">`
    + `<title id="${id}-t">${escapeHtml(title)}</title><desc id="${id}-d">${escapeHtml(desc)}</desc>${parts.join('')}</svg>`;
}

/** The page's style sheet, served as a file (GET /practice/style.css): the service's CSP allows no inline style. */
export const PRACTICE_STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#111;background:#fff}
header,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.6rem;margin-top:1.5rem}h2{font-size:1.25rem;margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem}
h3{font-size:1rem}
a{color:#0645ad}a:focus{outline:3px solid #f90}
svg text{font-size:11px;fill:#222}svg .bar{fill:#1f5f99}svg .grid{stroke:#ddd}svg .axis{stroke:#222}
svg .marker{stroke:#b00;stroke-width:2;stroke-dasharray:5 3}svg .marker-label{fill:#900;font-size:11px}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.2rem .5rem;text-align:left}
td.n{text-align:right}caption{text-align:left;font-weight:600;padding:.3rem 0}
figure{margin:1rem 0}figcaption{font-size:.9rem;color:#333}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
`;

/** Renders the page in a language. */
export function practicePage(data: PracticeData, lang: Lang, t: Catalog): string {
  const f = (id: string, params: Record<string, string | number> = {}) => escapeHtml(t.format(`replay.${id}`, params));
  const outcome = (o: Outcome) => t.format(`decision.outcome.${o}`);
  const other: Lang = lang === 'en' ? 'es' : 'en';
  const jname = (id: string | null) => (id ? data.jurisdictionNames.get(id) ?? id : '');
  const changesIn = (changes: readonly ChangeJson[], from: string, to: string) => changes.filter((c) => c.date >= from && c.date <= to);
  const changeText = (c: ChangeJson) => t.format('replay.chart.change', { date: c.date, before: outcome(c.hold.before), after: outcome(c.hold.after) });

  const years = data.aggregate.years;
  const yearDomain = { from: `${years.reduce((m, y) => (y.year < m ? y.year : m), '9999')}-01-01`, to: `${years.reduce((m, y) => (y.year > m ? y.year : m), '0000')}-12-31` };
  const months = data.records.rows.map((r) => r.period);
  const monthDomain = { from: `${months.reduce((m, p) => (p < m ? p : m), '9999-99')}-01`, to: endOfMonth(months.reduce((m, p) => (p > m ? p : m), '0000-00')) };

  const yearTicks: Omit<Bar, 'value'>[] = [];
  for (let y = Number(yearDomain.from.slice(0, 4)); y <= Number(yearDomain.to.slice(0, 4)); y++) yearTicks.push({ from: `${y}-01-01`, to: `${y}-12-31`, label: String(y) });
  const monthTicks: Omit<Bar, 'value'>[] = [];
  for (let p = monthDomain.from.slice(0, 7); p <= monthDomain.to.slice(0, 7); p = nextMonth(p)) monthTicks.push({ from: `${p}-01`, to: endOfMonth(p), label: p.slice(2) });
  const facilities = new Map<string, FacilityJson & { changes: readonly ChangeJson[] }>();
  for (const fac of [...data.aggregate.facilities, ...data.records.facilities]) if (!facilities.has(fac.id)) facilities.set(fac.id, fac);
  const ordered = [...facilities.values()].sort((a, b) => a.name.localeCompare(b.name, lang));

  const sections = ordered.map((fac) => {
    const mine = years.filter((y) => y.facility === fac.id);
    const rows = data.records.rows.filter((r) => r.facility === fac.id);
    const parts: string[] = [];
    parts.push(`<h2 id="h-${fac.id}">${escapeHtml(fac.name)}</h2>`);
    parts.push(`<p>${f('page.operator', { operator: fac.operator, jurisdiction: jname(fac.jurisdiction), agency: t.format(`replay.agency.${fac.agency}`) })} `
      + `${f('page.confidence', { confidence: t.format(`replay.confidence.${fac.confidence}`) })} `
      + fac.sources.map((s, i) => `<a href="${escapeHtml(s)}">[${i + 1}]</a>`).join(' ')
      + '</p>');
    if (mine.length) {
      const markers = changesIn(fac.changes, yearDomain.from, yearDomain.to);
      const declined = mine.reduce((n, y) => n + y.declined, 0);
      const total = mine.reduce((n, y) => n + y.declined + (y.other ?? 0), 0);
      const title = t.format('replay.chart.year_title', { facility: fac.name });
      const summary = t.format('replay.chart.summary', { declined, total, first: mine[0]!.year, last: mine[mine.length - 1]!.year });
      const desc = `${t.format('replay.chart.desc', { summary })} ${markers.map(changeText).join('. ') || t.format('replay.page.no_changes')}`;
      parts.push(`<h3>${f('page.by_year')}</h3><figure>`
        + svgChart(`y-${fac.id}`, title, desc,
          mine.map((y) => ({ from: `${y.year}-01-01`, to: `${y.year}-12-31`, label: y.year, value: y.declined })),
          markers.map((c) => ({ date: c.date, label: t.format('replay.chart.marker', { date: c.date }) })), yearDomain, yearTicks, t.format('replay.chart.axis_declined'))
        + `<figcaption>${escapeHtml(desc)}</figcaption></figure>`);
      parts.push(`<details><summary>${f('table.show')}</summary><table><caption>${f('table.caption_year', { facility: fac.name })}</caption>`
        + `<thead><tr><th scope="col">${f('table.year')}</th><th scope="col">${f('table.declined')}</th><th scope="col">${f('table.other')}</th>`
        + `<th scope="col">${f('table.share')}</th><th scope="col">${f('table.hold')}</th><th scope="col">${f('table.governing')}</th><th scope="col">${f('table.label')}</th></tr></thead><tbody>`
        + mine.map((y) => {
          const all = y.declined + (y.other ?? 0);
          return `<tr><th scope="row">${y.year}</th><td class="n">${y.declined}</td><td class="n">${y.other ?? '–'}</td>`
            + `<td class="n">${all ? `${((100 * y.declined) / all).toFixed(1)} %` : '–'}</td><td>${escapeHtml(y.hold_outcomes.map(outcome).join(' → '))}</td>`
            + `<td>${escapeHtml(y.governing.join(', ') || t.format('replay.table.none'))}</td><td>${f(`label.${y.declined_label}`)}</td></tr>`;
        }).join('')
        + '</tbody></table></details>');
    }
    if (rows.length) {
      const markers = changesIn(fac.changes, monthDomain.from, monthDomain.to);
      const declined = rows.reduce((n, r) => n + r.declined, 0);
      const total = rows.reduce((n, r) => n + r.declined + r.honored + r.other, 0);
      const title = t.format('replay.chart.month_title', { facility: fac.name });
      const summary = t.format('replay.chart.summary', { declined, total, first: rows[0]!.period, last: rows[rows.length - 1]!.period });
      const desc = `${t.format('replay.chart.desc', { summary })} ${markers.map(changeText).join('. ') || t.format('replay.page.no_changes')}`;
      parts.push(`<h3>${f('page.by_month')}</h3><figure>`
        + svgChart(`m-${fac.id}`, title, desc,
          rows.map((r) => ({ from: `${r.period}-01`, to: endOfMonth(r.period), label: r.period.slice(2), value: r.declined })),
          markers.map((c) => ({ date: c.date, label: t.format('replay.chart.marker', { date: c.date }) })), monthDomain, monthTicks, t.format('replay.chart.axis_declined'))
        + `<figcaption>${escapeHtml(desc)}</figcaption></figure>`);
      parts.push(`<details><summary>${f('table.show')}</summary><table><caption>${f('table.caption_month', { facility: fac.name })}</caption>`
        + `<thead><tr><th scope="col">${f('table.month')}</th><th scope="col">${f('table.declined')}</th><th scope="col">${f('table.honored')}</th><th scope="col">${f('table.other')}</th>`
        + `<th scope="col">${f('table.hold')}</th><th scope="col">${f('table.governing')}</th></tr></thead><tbody>`
        + rows.map((r) => `<tr><th scope="row">${r.period}</th><td class="n">${r.declined}</td><td class="n">${r.honored}</td><td class="n">${r.other}</td>`
          + `<td>${escapeHtml(r.hold_outcome.map(outcome).join(' → '))}</td><td>${escapeHtml(r.governing.join(', ') || t.format('replay.table.none'))}</td></tr>`).join('')
        + '</tbody></table></details>');
    }
    return `<section aria-labelledby="h-${fac.id}">${parts.join('\n')}</section>`;
  });

  const unplaced = new Map<string, string>();
  for (const u of [...data.records.unplaced, ...data.aggregate.unplaced]) {
    // Names without a state may be anyone's: the page lists the Maryland ones.
    if (u.state !== 'MARYLAND') continue;
    const code = 'reason_code' in u ? u.reason_code : u.code;
    const params = 'reason_params' in u ? u.reason_params : u.params;
    const listed = code === 'listed' ? (lang === 'es' ? params.es : params.en) : undefined;
    const reason = listed ?? (code === 'listed' ? u.reason : t.format(`replay.unplaced.${code}`, params));
    unplaced.set(`${u.name}|${u.city}`, t.format('replay.page.unplaced_item', { name: u.name, city: u.city || '–', reason }));
  }
  const federal = [...new Set([...data.records.out_of_scope, ...data.aggregate.out_of_scope].map((o) => o.name))];

  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${f('page.title')}</title><link rel="stylesheet" href="/practice/style.css"></head>
<body>
<a class="skip" href="#main">${f('page.contents')}</a>
<header><h1>${f('page.title')}</h1>
<p><a href="/practice?lang=${other}" hreflang="${other}" lang="${other}">${escapeHtml(t.format('replay.page.other_language'))}</a></p>
<p>${f('page.lead')}</p><p>${f('page.how')}</p><p>${f('page.caveat')}</p></header>
<main id="main">
<nav aria-labelledby="contents"><h2 id="contents">${f('page.contents')}</h2><ul>
${ordered.map((fac) => `<li><a href="#h-${fac.id}">${escapeHtml(fac.name)}</a></li>`).join('\n')}
</ul></nav>
${sections.join('\n')}
<section aria-labelledby="unplaced"><h2 id="unplaced">${f('page.unplaced_heading')}</h2><p>${f('page.unplaced_lead')}</p>
<ul>${[...unplaced.values()].map((u) => `<li>${escapeHtml(u)}</li>`).join('')}</ul>
<p>${f('page.out_of_scope', { names: t.list(federal, 'and') })}</p></section>
</main>
<footer><h2>${f('page.sources')}</h2><ul><li>${f('page.source_aggregate')}</li><li>${f('page.source_records')}</li></ul>
<p>policy_version ${escapeHtml(data.records.policy_version)}</p></footer>
</body></html>
`;
}

function nextMonth(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function endOfMonth(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
