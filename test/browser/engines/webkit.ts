/**
 * The engine driver for WebKit: Debian's webkit2gtk-driver (WebKitWebDriver, which runs
 * MiniBrowser with `--automation`) through selenium-webdriver in classic WebDriver mode.
 *
 * WebKitGTK has no headless mode, so the suite starts its own Xvfb: `-displayfd` lets Xvfb pick a
 * free display and tell us which (parallel runs never fight over :99), and the driver listens on a
 * free port. Both processes belong to the EngineBrowser and are killed by its close(), or by the
 * exit hook if the test process dies first. `npm test` stays the one command; nothing is
 * downloaded.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Builder, By, Key, until, type WebDriver } from 'selenium-webdriver';
import type { EngineBrowser, EngineSession, FrameSelector, KeyName } from './driver';

const MINIBROWSER_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser',
];

/** Paths of WebKitWebDriver and MiniBrowser. Missing ones fail the suite loudly; never skipped. */
export function webkitPaths(): { driver: string; miniBrowser: string } {
  let driver = '';
  try {
    driver = execFileSync('sh', ['-c', 'command -v WebKitWebDriver'], { encoding: 'utf8' }).trim();
  } catch {
    /* reported below */
  }
  const miniBrowser = [process.env.WEBKIT_MINIBROWSER ?? '', ...MINIBROWSER_CANDIDATES].find((p) => p && existsSync(p));
  if (!driver || !miniBrowser) throw new Error('WebKitGTK not found: install it with `apt-get install -y webkit2gtk-driver xvfb`.');
  return { driver, miniBrowser };
}

/** Starts Xvfb on a display it picks itself; resolves with ":N". */
function startXvfb(children: ChildProcess[]): Promise<string> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  children.push(xvfb);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start within 30 s: ${err}`)), 30_000);
    xvfb.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    xvfb.stdio[3]?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve(`:${out.trim()}`);
    });
    xvfb.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb could not start (apt-get install -y xvfb): ${e.message}`));
    });
    xvfb.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}): ${err}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits (bounded) until the driver answers /status. */
async function driverReady(url: string, driver: ChildProcess): Promise<void> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
    const ok = await fetch(`${url}/status`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('WebKitWebDriver did not answer /status within 30 s');
}

export async function launchWebKitEngine(): Promise<EngineBrowser> {
  const { driver: driverPath, miniBrowser } = webkitPaths();
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const child of children.splice(0).reverse()) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  try {
    const display = await startXvfb(children);
    const port = await freePort();
    const driverProcess = spawn(driverPath, [`--port=${port}`], { env: { ...process.env, DISPLAY: display }, stdio: 'ignore' });
    children.push(driverProcess);
    const url = `http://127.0.0.1:${port}`;
    await driverReady(url, driverProcess);
    const driver = await new Builder()
      .usingServer(url)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } })
      .build();
    const caps = await driver.getCapabilities();
    const version = `${String(caps.get('browserName'))} ${String(caps.get('browserVersion'))}`;
    let open = false;
    return {
      engine: 'webkit',
      version,
      async newSession() {
        // Classic WebDriver: one window per session. A second newSession() reuses it.
        if (open) throw new Error('the WebKit driver holds one session at a time: close the previous one first');
        open = true;
        return webkitSession(driver, () => (open = false));
      },
      async close() {
        await driver.quit().catch(() => {});
        killAll();
        process.off('exit', killAll);
      },
    };
  } catch (error) {
    killAll();
    process.off('exit', killAll);
    throw error;
  }
}

const KEYS: Record<Exclude<KeyName, 'Shift+Tab'>, string> = {
  Tab: Key.TAB,
  Enter: Key.ENTER,
  Space: Key.SPACE,
  Backspace: Key.BACK_SPACE,
  ArrowLeft: Key.ARROW_LEFT,
  ArrowRight: Key.ARROW_RIGHT,
  Home: Key.HOME,
  End: Key.END,
};

function webkitSession(driver: WebDriver, release: () => void): EngineSession {
  /** Classic WebDriver has one browsing context at a time: every call starts from the top. */
  const enter = async (frame: FrameSelector) => {
    await driver.switchTo().defaultContent();
    if (!frame) return;
    const iframe = await driver.wait(until.elementLocated(By.css(frame)), 20_000, `no ${frame}`);
    await driver.switchTo().frame(iframe);
  };
  return {
    engine: 'webkit',
    async goto(url) {
      await driver.switchTo().defaultContent();
      await driver.get(url);
    },
    async evaluate(fn, arg, frame) {
      await enter(frame);
      try {
        return (await driver.executeScript(`return (${fn.toString()}).apply(null, arguments)`, ...(arg === undefined ? [] : [arg]))) as never;
      } finally {
        await driver.switchTo().defaultContent();
      }
    },
    async click(selector, frame) {
      await enter(frame);
      try {
        const el = await driver.wait(until.elementLocated(By.css(selector)), 20_000, `no ${selector}`);
        await el.click();
      } finally {
        await driver.switchTo().defaultContent();
      }
    },
    async type(text, delayMs = 5) {
      // Key by key, to whatever has focus (actions are not tied to an element or a frame). At 0
      // every key goes in one action sequence, with no round trip between keys.
      if (delayMs === 0) {
        await driver.actions().sendKeys(text).perform();
        return;
      }
      for (const ch of text) {
        await driver.actions().sendKeys(ch).perform();
        await new Promise((r) => setTimeout(r, delayMs));
      }
    },
    async press(key) {
      if (key === 'Shift+Tab') await driver.actions().keyDown(Key.SHIFT).sendKeys(Key.TAB).keyUp(Key.SHIFT).perform();
      else await driver.actions().sendKeys(KEYS[key]).perform();
    },
    async setViewport(width, height) {
      await driver.manage().window().setRect({ width, height });
    },
    async close() {
      // The one window stays; a blank page drops the previous page's frames and timers.
      await driver.switchTo().defaultContent();
      await driver.get('about:blank');
      release();
    },
  };
}
