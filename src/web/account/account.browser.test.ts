// Sign-in, Record this contact, the receipt and the supervisor's list in a real Chromium against `trustrules serve`:
// a wrong password announced and focused, CSRF refused, a deviation recorded from the form, the receipt equal to what
// the API stored and its inclusion proof verified against the signed checkpoint, the supervisor's list flagging it,
// the public Reports page showing what the API publishes, and axe's WCAG 2.2 AA rules on every account and report page
// in English and Spanish.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodeHash, NoteVerifier, openCheckpoint, verifyInclusion } from '../../log/index.js';
import { axeViolations } from '../testing/axe.js';
import { chooseByLabel, signInAs } from '../testing/accounts.js';
import { launchBrowser } from '../testing/browser.js';
import { withAccounts } from '../testing/suite.js';

const COUNTY = 'us/md/montgomery-county';
const PASSWORD = 'a long passphrase for the desk';
const scenario = new URLSearchParams({ 'actor.jurisdiction': COUNTY, 'actor.agency': 'corrections', request: 'detain_past_release', basis: 'ice_detainer' });

describe('account pages in Chromium', () => {
  const env = withAccounts([{ username: 'desk', role: 'staff', jurisdiction: COUNTY }, { username: 'boss', role: 'supervisor', jurisdiction: COUNTY }], PASSWORD);
  const axe: Record<string, unknown> = {};
  const check = async (page: Page, name: string) => {
    axe[name] = await axeViolations(page);
  };


  it('refuses a sign-in without the form\'s CSRF token', async () => {
    const r = await fetch(`${env.site.origin}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=desk&password=${encodeURIComponent(PASSWORD)}`, redirect: 'manual' });
    expect(r.status).toBe(403);
    expect(r.headers.get('set-cookie') ?? '').not.toContain('trustrules_session');
  });

  it('signs staff in (a wrong password announced and focused first), records a contact from the form and shows its receipt', async () => {
    const page = await env.browser.page();
    for (const lang of ['es', 'en']) {
      await page.goto(`${env.site.origin}/sign-in?lang=${lang}`);
      await check(page, `sign-in ${lang}`);
    }
    await page.goto(`${env.site.origin}/record?${scenario}`);
    expect(page.url()).toContain('/sign-in?next=');
    await page.fill('#username', 'desk');
    await page.fill('#password', 'not the right one at all');
    await Promise.all([page.waitForLoadState('load'), page.press('#password', 'Enter')]);
    await page.waitForSelector('.error-summary');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.textContent('.error-summary')).toContain('The username or password is not right.');
    expect(await page.title()).toMatch(/^Error: /);
    await check(page, 'sign-in error en');

    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/record\?/), page.click('button[type=submit]')]);
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('prohibited');
    await check(page, 'record en');
    // Send it with nothing answered: the errors come back, in Spanish when the page was.
    await page.goto(`${env.site.origin}/record?${scenario}&lang=es`);
    await check(page, 'record es');
    await page.fill('#occurred-time', '');
    await Promise.all([page.waitForLoadState('load'), page.click('form.usa-form button[type=submit]')]);
    await page.waitForSelector('.error-summary');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.locator('.error-summary li').allTextContents()).toEqual([
      'Escriba la hora en que ocurrió (horas y minutos).', 'Elija quién lo pidió.', 'Elija qué hizo usted.',
    ]);
    await check(page, 'record errors es');

    await page.goto(`${env.site.origin}/record?${scenario}`);
    await page.fill('#occurred-date', '2026-11-03');
    await page.fill('#occurred-time', '08:40');
    await chooseByLabel(page, 'input[name=agent][value=ice_ero]');
    await chooseByLabel(page, 'input[name=action][value=complied]');
    await page.fill('#site', 'jail-intake');
    await Promise.all([page.waitForURL(/\/records\/[0-9a-f-]{36}\?size=\d+&recorded=1$/), page.click('form.usa-form button[type=submit]')]);
    await check(page, 'receipt en');
    const id = (await page.getAttribute('[data-record-id]', 'data-record-id'))!;
    const cell = async (n: number) => (await page.locator('.receipt-table tr').nth(n).locator('td').textContent())!.trim();
    expect(await cell(0)).toBe(id);
    expect(await cell(5)).toBe('Deviation');
    const checkpoint = (await page.textContent('.receipt-note'))!;
    const proof = await page.locator('.receipt-proof code').allTextContents();
    const leafHash = (await page.textContent('.receipt-hash'))!;

    // The downloaded receipt is the page's, and the record the API stored.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[download]')]);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(file).toMatchObject({ id, checkpoint, inclusion_proof: proof, leaf_hash: leafHash, deviation: true });
    const stored = await (await fetch(`${env.site.origin}/v1/contacts/${id}`, { headers: { authorization: `Bearer ${env.tokens.desk}` } })).json() as Record<string, unknown>;
    expect(stored).toMatchObject({
      id, index: file.index, leaf_hash: file.leaf_hash, deviation: true, decision: file.decision, occurred_at: '2026-11-03T08:40:00-05:00',
      agent: 'ice_ero', action: 'complied', site: 'jail-intake', scenario: { actor: { jurisdiction: COUNTY, agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' },
    });
    // Its inclusion proof verifies against the checkpoint, signed by the log's published key.
    const key = NoteVerifier.parse((await (await fetch(`${env.site.origin}/v1/log/key`)).text()).trim());
    const cp = openCheckpoint(file.checkpoint, key);
    expect(verifyInclusion(file.index, cp.size, decodeHash(file.leaf_hash), (file.inclusion_proof as string[]).map((h) => decodeHash(h)), cp.root)).toBe(true);
    expect(verifyInclusion(file.index, cp.size, decodeHash(file.leaf_hash), [...(file.inclusion_proof as string[]), file.leaf_hash].map((h: string) => decodeHash(h)), cp.root)).toBe(false);

    await page.goto(`${page.url()}&lang=es`);
    await check(page, 'receipt es');
    await page.goto(`${env.site.origin}/records`);
    await check(page, 'own records en');
    await page.close();
  });

  it('shows the supervisor the record with its deviation flagged, filtered, and as CSV', async () => {
    const boss = await launchBrowser();
    try {
      const page = await boss.page();
      await signInAs(page, env.site.origin, { username: 'boss', password: PASSWORD, next: '/records' });
      const row = page.locator('tr.record-row').first();
      expect(await row.getAttribute('data-deviation')).toBe('true');
      expect(await row.getAttribute('class')).toContain('record-row--deviation');
      expect(await row.locator('.deviation-tag').textContent()).toBe('Deviation');
      await check(page, 'records en');
      await page.click('label[for=deviation]');
      await page.fill('#from', '2026-11-04');
      await Promise.all([page.waitForURL(/deviation=true/), page.click('.records-filter button[type=submit]')]);
      expect(await page.locator('tr.record-row').count()).toBe(0);
      await page.goto(`${env.site.origin}/records?deviation=true&lang=es`);
      expect(await page.locator('tr.record-row').count()).toBe(1);
      await check(page, 'records es');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[download]')]);
      const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
      expect(csv).toHaveLength(2);
      expect(csv[1]).toContain(',ice_ero,complied,jail-intake,prohibited,true,');
      // Signing out ends the session: the list asks for sign-in again.
      await Promise.all([page.waitForURL(/signed_out=1/), page.click('.account-bar button')]);
      await check(page, 'signed out es');
      await page.goto(`${env.site.origin}/records`);
      expect(page.url()).toContain('/sign-in?next=%2Frecords');
    } finally {
      await boss.close();
    }
  });

  it('shows the public report of the same records on /reports, as the API publishes it', async () => {
    const page = await env.browser.page();
    await page.goto(`${env.site.origin}/reports?lang=es`);
    await check(page, 'reports chooser es');
    await page.selectOption('#jurisdiction', COUNTY);
    await page.selectOption('#from-year', '2026');
    await page.selectOption('#to-year', '2026');
    await Promise.all([page.waitForURL(/jurisdiction=/), page.click('.report-chooser button[type=submit]')]);
    await check(page, 'report es');
    const api = await (await fetch(`${env.site.origin}/v1/reports/contacts?jurisdiction=${encodeURIComponent(COUNTY)}&from=2026-01-01&to=2026-12-31&by=quarter&descendants=false`)).json() as {
      checkpoint: { size: number }; rows: { kind: string; period: string; count: number | string }[]; signature: string;
    };
    const totals = api.rows.filter((r) => r.kind === 'total');
    const shown = await page.locator('.report-totals tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')!.textContent));
    expect(shown).toEqual(totals.map((r) => (r.count === 'suppressed' ? 'oculto (5 o más)' : String(r.count))));
    expect(shown).toEqual(['0', '0', '0', '<5']);
    expect(await page.getAttribute('.report', 'data-checkpoint-size')).toBe(String(api.checkpoint.size));
    expect(await page.locator('.report-verify pre').nth(1).textContent()).toBe(api.signature);
    // The chart has one bar for the quarter with records, drawn as a "<5" outline, and the table after it.
    expect(await page.locator('svg.chart rect.chart__bar--below').count()).toBe(1);
    await page.goto(page.url().replace('lang=es', 'lang=en'));
    await check(page, 'report en');
    await page.close();
  });

  it('has no WCAG 2.2 AA violations (axe) on any account page in English and Spanish', () => {
    expect(Object.keys(axe).sort()).toEqual([
      'own records en', 'receipt en', 'receipt es', 'record en', 'record errors es', 'record es', 'records en', 'records es',
      'report en', 'report es', 'reports chooser es', 'sign-in en', 'sign-in error en', 'sign-in es', 'signed out es',
    ]);
    expect(Object.entries(axe).filter(([, v]) => (v as unknown[]).length)).toEqual([]);
  });
});
