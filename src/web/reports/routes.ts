// GET /reports: the public reports of contact records (contract section 8) for a jurisdiction chosen on the page, by
// month, quarter or year, as charts and tables. The page asks the server's own GET /v1/reports/contacts (through
// Fastify's inject: the same signed report, threshold and cache every client gets) and links its JSON and CSV.
import type { FastifyInstance } from 'fastify';
import { ContractError } from '../../app/errors.js';
import { languageWords } from '../../vocabulary/vocabulary.js';
import type { WebAreaOptions } from '../app.js';
import { layout, pageContext, sendPage } from '../page.js';
import { publicReportSchema, type PublicReport } from './report.js';
import { reportsMain, type ReportForm, type ReportFormError } from './view.js';

/** The first year the chooser offers. */
export const FIRST_REPORT_YEAR = 2020;

/** Registers GET /reports. */
export async function reportsRoutes(app: FastifyInstance, options: WebAreaOptions): Promise<void> {
  app.get('/reports', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const { t } = ctx;
    const thisYear = new Date().getUTCFullYear();
    const years = Array.from({ length: thisYear - FIRST_REPORT_YEAR + 1 }, (_, i) => FIRST_REPORT_YEAR + i);
    const errors: ReportFormError[] = [];
    const year = (name: string, field: string) => {
      const v = ctx.query.get(name);
      if (v === null || v === '') return thisYear;
      const n = Number(v);
      if (!/^\d{4}$/.test(v) || !years.includes(n)) {
        errors.push({ field, message: t('web-reports.form.error.year', { first: FIRST_REPORT_YEAR, last: thisYear }) });
        return thisYear;
      }
      return n;
    };
    const jurisdiction = ctx.query.get('jurisdiction') || undefined;
    if (jurisdiction !== undefined && !options.corpus.jurisdictions.has(jurisdiction)) errors.push({ field: 'jurisdiction', message: t('web-reports.form.error.jurisdiction') });
    const byText = ctx.query.get('by') ?? 'quarter';
    const by = byText === 'month' || byText === 'year' ? byText : 'quarter';
    if (!['month', 'quarter', 'year'].includes(byText)) throw new ContractError('bad_input', { path: 'by', given: byText, allowed: ['month', 'quarter', 'year'], message: 'a report is by month, quarter or year' });
    const form: ReportForm = {
      ...(jurisdiction ? { jurisdiction } : {}), by, fromYear: year('from_year', 'from-year'), toYear: year('to_year', 'to-year'), descendants: ctx.query.get('descendants') === 'true',
    };
    if (form.fromYear > form.toYear) errors.push({ field: 'to-year', message: t('web-reports.form.error.order') });

    let report: PublicReport | undefined;
    let unavailable = false;
    let jsonHref: string | undefined;
    let csvHref: string | undefined;
    if (jurisdiction && !errors.length) {
      const q = new URLSearchParams({ jurisdiction, from: `${form.fromYear}-01-01`, to: `${form.toYear}-12-31`, by, descendants: String(form.descendants) });
      jsonHref = `/v1/reports/contacts?${q}`;
      csvHref = `/v1/reports/contacts?${q}&format=csv`;
      const r = await app.inject({ url: jsonHref, headers: { accept: 'application/json' } });
      if (r.statusCode === 200) report = publicReportSchema.parse(r.json());
      else if (r.statusCode === 404 || r.statusCode === 503) unavailable = true;
      else throw new ContractError('bad_input', (r.json() as { error: ConstructorParameters<typeof ContractError>[1] }).error);
    }
    const main = reportsMain({ ctx, corpus: options.corpus, vocabulary: languageWords(ctx.lang), years }, {
      form, errors, ...(report ? { report } : {}), unavailable, ...(jsonHref ? { jsonHref } : {}), ...(csvHref ? { csvHref } : {}),
    });
    const title = errors.length ? t('web-account.form.error_title', { title: t('web-reports.title') }) : t('web-reports.title');
    return sendPage(reply, ctx, layout(ctx, { title, area: 'reports', main }), errors.length ? 400 : 200);
  });
}
