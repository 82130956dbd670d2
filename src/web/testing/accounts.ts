// For the account pages' browser tests: accounts with passwords made by the real CLI in a site's data folder, and
// radio buttons chosen as a person does.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../store/testServers.js';

/** Creates an account with a password in a data folder (before the server opens it); returns its API token. */
export function addAccount(dataDir: string, a: { username: string; role: string; jurisdiction: string; password: string }): string {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/trustrules'), 'users', 'add', '--data', dataDir, '--name', a.username, '--role', a.role, '--jurisdiction', a.jurisdiction, '--username', a.username, '--password-stdin', '--json'], {
    cwd: repoRoot, input: `${a.password}\n`, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`users add failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

/**
 * Chooses a radio button by clicking its label (USWDS hides the input itself off screen); `input` selects the input.
 * Fails unless it is then checked.
 */
export async function chooseByLabel(page: Page, input: string): Promise<void> {
  const id = await page.getAttribute(input, 'id');
  await page.click(`label[for="${id}"]`);
  if (!(await page.isChecked(`#${id}`))) throw new Error(`clicking the label of ${input} did not check it`);
}

/** Signs in on the sign-in page (`next`: where it goes after) and waits until it got there. */
export async function signInAs(page: Page, origin: string, a: { username: string; password: string; next: string }): Promise<void> {
  await page.goto(`${origin}/sign-in?next=${encodeURIComponent(a.next)}`);
  await page.fill('#username', a.username);
  await page.fill('#password', a.password);
  await Promise.all([page.waitForURL((u) => `${u.pathname}${u.search}` === a.next), page.click('form.usa-form button[type=submit]')]);
}
