// For the web app's browser tests (and the screenshot and Lighthouse scripts): the real site (`trustrules serve`,
// API and web app) on a free port with a throwaway data folder, and Debian's Chromium driven by playwright-core.
// When Chromium cannot run, launching fails with the reason (npm test installs it first): browser suites never skip.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureBuilt, repoRoot } from '../../store/testServers.js';

/** Where Debian puts Chromium (scripts/chromium.mjs installs it). */
export const chromiumPath = '/usr/bin/chromium';

/** The flags Chromium needs here: headless, no sandbox (root in CI), no GPU, no network of its own. */
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
] as const;

/** A running site. */
export interface Site {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The contact store's throwaway folder. */
  readonly dataDir: string;
  /** What the server logged (JSON lines), for failure messages. */
  output(): string;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

/** Builds dist/ (TypeScript and web assets) when its sources are newer: a no-op under npm test, which builds first. */
export function ensureSiteBuilt(): void {
  ensureBuilt();
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-web.mjs'), '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('cannot build the web assets (node scripts/build-web.mjs)');
}

/** Starts `trustrules serve --port 0` (the kernel picks a free port) and waits until it says where it listens. */
export async function startSite(options: { policies?: string; env?: Readonly<Record<string, string>> } = {}): Promise<Site> {
  ensureSiteBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trustrules-site-'));
  const args = [path.join(repoRoot, 'bin/trustrules'), ...(options.policies ? ['--policies', options.policies] : []), 'serve', '--port', '0', '--host', '127.0.0.1'];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot, env: { ...process.env, TRUSTRULES_DATA_DIR: dataDir, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the site did not listen within 120 s:\n${out}`));
    }, 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the site exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    origin, dataDir, output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Chromium with its own throwaway profile. */
export interface Browser {
  readonly context: BrowserContext;
  /** A new tab. */
  page(): Promise<Page>;
  /** Closes Chromium and removes the profile. */
  close(): Promise<void>;
}

/** Launches Debian's Chromium (headless); fails saying why when it cannot run. */
export async function launchBrowser(options: { javaScript?: boolean; locale?: string; offline?: boolean } = {}): Promise<Browser> {
  const why = process.env['TRUSTRULES_CHROMIUM_ERROR'];
  if (why) throw new Error(`the browser suites cannot run: ${why}`);
  if (!existsSync(chromiumPath)) {
    throw new Error(`the browser suites cannot run: ${chromiumPath} is missing (npm test installs it with apt-get install chromium; or run node scripts/chromium.mjs)`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'trustrules-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath, headless: true, args: [...chromiumArgs],
      javaScriptEnabled: options.javaScript ?? true, locale: options.locale ?? 'en-US',
      viewport: { width: 1024, height: 800 },
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`the browser suites cannot run: Chromium at ${chromiumPath} did not start: ${(e as Error).message}`);
  }
  return {
    context,
    page: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Presses Tab until the focused element matches `selector` (at most `limit` presses); fails naming what had focus. */
export async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    seen.push(await page.evaluate(() => {
      const a = document.activeElement;
      return a ? `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.getAttribute('name') ? `[name=${a.getAttribute('name')}]` : ''}` : '(none)';
    }));
  }
  throw new Error(`Tab never reached ${selector}; focus went ${seen.join(' → ')}`);
}
