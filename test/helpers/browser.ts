// Debian's Chromium, headless, driven by playwright-core (which never downloads a browser).
// Each launch gets a fresh profile directory (playwright takes it as the persistent
// context's user data dir, and passes it to Chromium as --user-data-dir), removed in teardown.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { Test } from 'tap';

export const CHROMIUM = '/usr/bin/chromium';

/** A tap `skip` value: false when Chromium is installed, else why the test is skipped. */
export const chromiumMissing: string | false = existsSync(CHROMIUM) ? false : 'Chromium is not installed (apt-get install chromium); CI installs it';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(t: Test, options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'sundial-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  t.teardown(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return context;
}
