// Bar charts drawn on the server as SVG: one bar per period, the count written beside it, a count below the
// suppression threshold drawn as a dashed outline up to the threshold (it is somewhere from 1 to threshold − 1) and a
// hidden count drawn as no bar at all. Each chart is an image with a title; the same numbers follow it as a table.
import { html, type Html } from '../html.js';

/** One bar: its label, and the count as the report publishes it (a number, `"<5"`, or a marker word). */
export interface Bar {
  readonly label: string;
  /** A whole number, or what the report says instead. */
  readonly count: number | string;
  /** What to write beside the bar (the count in the page's words). */
  readonly text: string;
}

const ROW = 28;
const LABEL_WIDTH = 150;
const BAR_WIDTH = 380;
const TEXT_GAP = 8;

/** A horizontal bar chart; `id` names its title for aria-labelledby, `threshold` scales a `"<N"` bar. */
export function barChart(id: string, title: string, bars: readonly Bar[], threshold: number): Html {
  const numbers = bars.map((b) => (typeof b.count === 'number' ? b.count : /^<\d+$/.test(b.count) ? threshold : 0));
  const max = Math.max(threshold, ...numbers);
  const width = LABEL_WIDTH + BAR_WIDTH + 120;
  const height = bars.length * ROW + 8;
  const scale = (n: number) => (n <= 0 ? 0 : Math.max(2, Math.round((n / max) * BAR_WIDTH)));
  const rows = bars.map((b, i) => {
    const y = 4 + i * ROW;
    const below = typeof b.count === 'string' && /^<\d+$/.test(b.count);
    const w = typeof b.count === 'number' ? scale(b.count) : below ? scale(threshold) : 0;
    const bar = w === 0 ? '' : below
      ? html`<rect class="chart__bar chart__bar--below" x="${LABEL_WIDTH}" y="${y + 4}" width="${w}" height="${ROW - 10}"/>`
      : html`<rect class="chart__bar" x="${LABEL_WIDTH}" y="${y + 4}" width="${w}" height="${ROW - 10}"/>`;
    return html`<g><text class="chart__label" x="${LABEL_WIDTH - TEXT_GAP}" y="${y + ROW / 2 + 4}" text-anchor="end">${b.label}</text>${bar}<text class="chart__value" x="${LABEL_WIDTH + w + TEXT_GAP}" y="${y + ROW / 2 + 4}">${b.text}</text></g>`;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${id}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false">
<title id="${id}">${title}</title>
<line class="chart__axis" x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${height}"/>
${rows}
</svg>`;
}
