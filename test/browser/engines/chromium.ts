/** The engine driver for Chromium: Debian's chromium through playwright-core (see ../harness.ts). */
import type { Frame, Page } from 'playwright-core';
import { launchChromium } from '../harness';
import type { EngineBrowser, EngineSession, FrameSelector, KeyName } from './driver';

export async function launchChromiumEngine(): Promise<EngineBrowser> {
  const launched = await launchChromium();
  const version = launched.context.browser()?.version() ?? 'chromium';
  return {
    engine: 'chromium',
    version,
    async newSession() {
      return chromiumSession(await launched.context.newPage());
    },
    close: () => launched.close(),
  };
}

function chromiumSession(page: Page): EngineSession {
  const target = async (frame: FrameSelector): Promise<Page | Frame> => {
    if (!frame) return page;
    const handle = await page.waitForSelector(frame, { state: 'attached' });
    const content = await handle.contentFrame();
    if (!content) throw new Error(`${frame} is not an iframe`);
    return content;
  };
  return {
    engine: 'chromium',
    async goto(url) {
      await page.goto(url);
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
    async press(key: KeyName) {
      await page.keyboard.press(key === 'Space' ? ' ' : key);
    },
    async setViewport(width, height) {
      await page.setViewportSize({ width, height });
    },
    close: () => page.close(),
  };
}
