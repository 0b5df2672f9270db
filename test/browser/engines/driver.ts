/**
 * One small driver interface over the three browser engines the end-to-end flows run in:
 * Chromium (playwright-core over CDP), Firefox ESR (puppeteer-core over WebDriver BiDi) and
 * WebKitGTK (selenium-webdriver over classic WebDriver, MiniBrowser under Xvfb).
 *
 * Flows are written once against this interface (see flows.ts), so a check written for one
 * engine runs in all three. It offers only what every engine does the same way: navigate, run a
 * function in the top document or in one of its iframes, click, type and press keys the way a
 * person does (key by key, to whatever has focus) and resize the window. What only one engine can
 * do (request bodies, the full CSP-violation stream) is deliberately absent: the demo servers'
 * own records (demo/test-recorder.mjs) stand in for it in every engine.
 */

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** Keys a flow presses. `Shift+Tab` is Tab with Shift held. */
export type KeyName = 'Tab' | 'Shift+Tab' | 'Enter' | 'Space' | 'Backspace' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';

/**
 * Where a call runs: omitted for the top document, or the CSS selector (in the top document) of
 * the iframe whose document it runs in, e.g. `#card-element iframe`.
 */
export type FrameSelector = string | undefined;

/** One browser tab. */
export interface EngineSession {
  readonly engine: EngineName;
  /** Loads `url` in the tab and waits for its load event. */
  goto(url: string): Promise<void>;
  /**
   * Runs `fn(arg)` in the top document or in `frame`, and returns its (JSON-serialisable)
   * result. `fn` is sent as source text: it must not close over anything.
   */
  evaluate<A, R>(fn: (arg: A) => R, arg: A, frame?: FrameSelector): Promise<Awaited<R>>;
  /** Clicks the element `selector` (in the top document or in `frame`) as a mouse would. */
  click(selector: string, frame?: FrameSelector): Promise<void>;
  /**
   * Types `text` one key at a time into whatever has focus (possibly inside a frame), `delayMs`
   * apart (default 5; 0 is machine speed: every key in one go, as fast as the engine takes them).
   */
  type(text: string, delayMs?: number): Promise<void>;
  /** Presses one key (or Shift+Tab) on whatever has focus. */
  press(key: KeyName): Promise<void>;
  /** Resizes the tab to roughly this viewport (WebKit sizes the window, chrome included). */
  setViewport(width: number, height: number): Promise<void>;
  close(): Promise<void>;
}

/** A running browser, fresh profile, owned by the suite that launched it. */
export interface EngineBrowser {
  readonly engine: EngineName;
  /** A human-readable version, for the suite's log. */
  readonly version: string;
  newSession(): Promise<EngineSession>;
  /** Quits the browser and every helper process, and deletes the profile. */
  close(): Promise<void>;
}

/** Launches one engine. */
export async function launchEngine(engine: EngineName): Promise<EngineBrowser> {
  if (engine === 'chromium') return (await import('./chromium')).launchChromiumEngine();
  if (engine === 'firefox') return (await import('./firefox')).launchFirefoxEngine();
  return (await import('./webkit')).launchWebKitEngine();
}

/** `fn(arg)` as an expression, for engines that take script text. */
export function callSource(fn: (arg: never) => unknown): string {
  return `(${fn.toString()})`;
}
