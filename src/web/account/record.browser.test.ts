// "Record this contact" from the guide's answer in a real Chromium against `trustrules serve`, in English and in
// Spanish: staff walk the guide to an answer, sign in from it and come back to it, record what they did there, see the
// receipt and download it (the file the API's record proves, its inclusion proof verified against the signed
// checkpoint), and the supervisor's list then shows both records with the deviation flagged; axe on every page seen.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodeHash, NoteVerifier, openCheckpoint, verifyInclusion } from '../../log/index.js';
import { axeViolations } from '../testing/axe.js';
import { chooseByLabel, signInAs } from '../testing/accounts.js';
import { launchBrowser } from '../testing/browser.js';
import { withAccounts } from '../testing/suite.js';

const COUNTY = 'us/md/montgomery-county';
const PASSWORD = 'a long passphrase for the front desk';
/** The answers the walk gives: a corrections officer handed a detainer; any other question is "I don't know". */
const answers: Readonly<Record<string, string>> = {
  'actor.jurisdiction': COUNTY, 'actor.agency': 'corrections', request: 'detain_past_release', basis: 'ice_detainer',
};

describe('recording a contact from the guide\'s answer, in Chromium', () => {
  const env = withAccounts([{ username: 'desk', role: 'staff', jurisdiction: COUNTY }, { username: 'boss', role: 'supervisor', jurisdiction: COUNTY }], PASSWORD);
  const axe: Record<string, unknown> = {};
  const check = async (page: Page, name: string) => {
    axe[name] = await axeViolations(page);
  };
  const recorded: { id: string; deviation: boolean }[] = [];


  /** Walks the guide from its first page to the answer: the place by search, then each question by its label. */
  async function walk(page: Page, lang: 'en' | 'es'): Promise<void> {
    await page.goto(`${env.site.origin}/guide?lang=${lang}`);
    await page.fill('#place-search', 'Montgomery County');
    await Promise.all([page.waitForURL(/q=Montgomery/), page.click('.guide-search button[type=submit]')]);
    for (let step = 0; step < 12 && !(await page.locator('[data-outcome]').count()); step++) {
      const name = (await page.locator('.guide-form input[type=radio]').first().getAttribute('name'))!;
      await chooseByLabel(page, `.guide-form input[name="${name}"][value="${answers[name] ?? 'unknown'}"]`);
      const before = page.url();
      await Promise.all([page.waitForURL((u) => u.href !== before), page.click('.guide-form button[type=submit]')]);
    }
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('prohibited');
  }

  /** Fills the answer page's record form and sends it; returns the receipt page's record id. */
  async function record(page: Page, a: { date: string; time: string; agent: string; action: string }): Promise<string> {
    await page.fill('#record-contact #occurred-date', a.date);
    await page.fill('#record-contact #occurred-time', a.time);
    await chooseByLabel(page, `#record-contact input[name=agent][value=${a.agent}]`);
    await chooseByLabel(page, `#record-contact input[name=action][value=${a.action}]`);
    await Promise.all([page.waitForURL(/\/records\/[0-9a-f-]{36}\?size=\d+&recorded=1/), page.click('#record-contact button[type=submit]')]);
    return (await page.getAttribute('[data-record-id]', 'data-record-id'))!;
  }

  it('signs staff in from the answer, back to it, records there and keeps the receipt', async () => {
    const page = await env.browser.page();
    await walk(page, 'en');
    const answer = page.url();
    await check(page, 'answer signed out en');
    // Not signed in: no form, a sign-in that returns to this answer.
    expect(await page.locator('#record-contact form').count()).toBe(0);
    await Promise.all([page.waitForURL(/\/sign-in\?next=/), page.click('#record-contact a')]);
    await page.fill('#username', 'desk');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.href === answer), page.click('form.usa-form button[type=submit]')]);
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('prohibited');
    await check(page, 'answer with form en');

    // Held on the detainer alone although the rules say not to: a deviation.
    const id = await record(page, { date: '2026-11-03', time: '08:40', agent: 'ice_ero', action: 'complied' });
    recorded.push({ id, deviation: true });
    await check(page, 'receipt en');
    const cell = async (n: number) => (await page.locator('.receipt-table tr').nth(n).locator('td').textContent())!.trim();
    expect(await cell(0)).toBe(id);
    expect(await cell(5)).toBe('Deviation');
    const checkpoint = (await page.textContent('.receipt-note'))!;
    const proof = await page.locator('.receipt-proof code').allTextContents();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[download]')]);
    expect(download.suggestedFilename()).toMatch(/^trustrules-receipt-\d+\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(file).toMatchObject({ id, checkpoint, inclusion_proof: proof, deviation: true, decision: { outcome: 'prohibited' } });
    // What the API stored: the guide's scenario, decided as of the day of the contact.
    const stored = await (await fetch(`${env.site.origin}/v1/contacts/${id}`, { headers: { authorization: `Bearer ${env.tokens.desk}` } })).json() as Record<string, unknown>;
    expect(stored).toMatchObject({
      id, index: file.index, leaf_hash: file.leaf_hash, deviation: true, occurred_at: '2026-11-03T08:40:00-05:00', agent: 'ice_ero', action: 'complied',
      scenario: { date: '2026-11-03', actor: { jurisdiction: COUNTY, agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' },
    });
    const key = NoteVerifier.parse((await (await fetch(`${env.site.origin}/v1/log/key`)).text()).trim());
    const cp = openCheckpoint(file.checkpoint, key);
    expect(verifyInclusion(file.index, cp.size, decodeHash(file.leaf_hash), (file.inclusion_proof as string[]).map((h) => decodeHash(h)), cp.root)).toBe(true);
    await page.close();
  });

  it('records in Spanish from the Spanish answer, with the receipt in Spanish', async () => {
    const page = await env.browser.page();
    await walk(page, 'es');
    expect(await page.textContent('#record-contact h2')).toBe('Registrar este contacto');
    await check(page, 'answer with form es');
    const id = await record(page, { date: '2026-11-04', time: '14:05', agent: 'ice_ero', action: 'declined' });
    recorded.push({ id, deviation: false });
    expect(page.url()).toContain('lang=es');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('.receipt-table tr').nth(5).locator('td').textContent()).toContain('No: lo que se hizo concuerda con las normas');
    await check(page, 'receipt es');
    await page.close();
  });

  it('shows the supervisor both records, the deviation flagged', async () => {
    const boss = await launchBrowser({ locale: 'es-US' });
    try {
      const page = await boss.page();
      await signInAs(page, env.site.origin, { username: 'boss', password: PASSWORD, next: '/records' });
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      const rows = await page.locator('tr.record-row').evaluateAll((trs) => trs.map((tr) => ({ id: tr.getAttribute('data-record-id'), deviation: tr.getAttribute('data-deviation') === 'true' })));
      expect(rows.sort((a, b) => a.id!.localeCompare(b.id!))).toEqual([...recorded].sort((a, b) => a.id.localeCompare(b.id)));
      expect(await page.locator('tr.record-row--deviation .deviation-tag').allTextContents()).toEqual(['Desviación']);
      await check(page, 'records es');
    } finally {
      await boss.close();
    }
  });

  it('has no WCAG 2.2 AA violations (axe) on the pages seen', () => {
    expect(Object.keys(axe).sort()).toEqual(['answer signed out en', 'answer with form en', 'answer with form es', 'receipt en', 'receipt es', 'records es']);
    expect(Object.entries(axe).filter(([, v]) => (v as unknown[]).length)).toEqual([]);
  });
});
