/**
 * The engine driver for Firefox: Debian's firefox-esr through puppeteer-core over WebDriver BiDi
 * (playwright-core's Firefox needs its own patched build, which fails on this ESR). Nothing is
 * downloaded: the browser is the system's, the profile a fresh temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Frame, type KeyInput, type Page } from 'puppeteer-core';
import type { EngineBrowser, EngineSession, FrameSelector, KeyName } from './driver';

/** Path of Debian's Firefox ESR. A missing browser fails the suite loudly; it is never skipped. */
export function firefoxPath(): string {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v firefox-esr || command -v firefox'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Firefox not found: install it with `apt-get install -y firefox-esr` (or set FIREFOX_PATH).');
  }
}

export async function launchFirefoxEngine(): Promise<EngineBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cardvault-firefox-'));
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefoxPath(),
      headless: true,
      userDataDir: profile,
      // No update checks, telemetry or first-run pages: the suite talks to 127.0.0.1 only.
      extraPrefsFirefox: {
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
        'network.captive-portal-service.enabled': false,
      },
    });
    const version = await browser.version();
    return {
      engine: 'firefox',
      version,
      async newSession() {
        return firefoxSession(await browser.newPage());
      },
      async close() {
        await browser.close().catch(() => {});
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

const KEYS: Record<Exclude<KeyName, 'Shift+Tab'>, KeyInput> = {
  Tab: 'Tab',
  Enter: 'Enter',
  Space: 'Space',
  Backspace: 'Backspace',
  ArrowLeft: 'ArrowLeft',
  ArrowRight: 'ArrowRight',
  Home: 'Home',
  End: 'End',
};

function firefoxSession(page: Page): EngineSession {
  const target = async (frame: FrameSelector): Promise<Page | Frame> => {
    if (!frame) return page;
    const handle = await page.waitForSelector(frame);
    const content = await handle?.contentFrame();
    if (!content) throw new Error(`${frame} is not an iframe`);
    return content;
  };
  return {
    engine: 'firefox',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async evaluate(fn, arg, frame) {
      return (await target(frame)).evaluate(fn as never, arg as never) as never;
    },
    async click(selector, frame) {
      await (await target(frame)).click(selector);
    },
    async type(text, delayMs = 5) {
      await page.keyboard.type(text, { delay: delayMs });
    },
    async press(key) {
      if (key === 'Shift+Tab') {
        await page.keyboard.down('Shift');
        await page.keyboard.press('Tab');
        await page.keyboard.up('Shift');
        return;
      }
      await page.keyboard.press(KEYS[key]);
    },
    async setViewport(width, height) {
      await page.setViewport({ width, height });
    },
    close: () => page.close(),
  };
}
