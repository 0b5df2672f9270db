/**
 * Does the combined card field show a whole formatted number? An engine-neutral check: the test
 * hands in a small driver (resize the viewport, run a function in the card frame's document), so
 * the same check runs under playwright-core (Chromium), puppeteer-core (Firefox over BiDi) or
 * selenium-webdriver (WebKit): see `playwrightWidthDriver` for the shape.
 */
import type { Frame, Page } from 'playwright-core';

/** The widest number the field must show: 19 digits, formatted 4-4-4-4-3 (23 characters). */
export const LONGEST_NUMBER = '4000000000000000006';

/** What a driver must do; every engine's client can. */
export interface WidthDriver {
  /** Sets the viewport to `width` x `height` CSS pixels and waits for the page to lay out again. */
  setViewport(width: number, height: number): Promise<void>;
  /**
   * Runs `fn(arg)` in the document of the combined card frame and returns its (JSON) result. `fn`
   * is serialised, so it must not close over anything.
   */
  inCardFrame<A, R>(fn: (arg: A) => R, arg: A): Promise<R>;
}

/** One width's geometry, in CSS pixels. */
export interface NumberFit {
  viewport: number;
  /** The frame's own width (its layout viewport). */
  frame: number;
  /** The formatted value the frame shows. */
  value: string;
  /** The input's box, and where it sits in the frame. */
  input: { left: number; right: number; clientWidth: number; scrollWidth: number; scrollLeft: number };
  /** The formatted text's width, measured with the input's own font. */
  text: number;
  /** The room the text has: the input's content box. */
  room: number;
  /** True when all of the text and the caret after it are visible. */
  fits: boolean;
}

/**
 * Runs in the frame: fills the number input as autofill would (the frame formats it, no focus
 * jump), puts the caret at the end and measures. Never reads anything but geometry and the
 * formatted test number it typed.
 */
function measure(digits: string): Omit<NumberFit, 'viewport'> {
  const input = document.querySelector('input[autocomplete="cc-number"]') as HTMLInputElement;
  input.focus();
  input.value = digits;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText' }));
  input.setSelectionRange(input.value.length, input.value.length);
  const style = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const spacing = parseFloat(style.letterSpacing) || 0;
  // word-spacing (the frame tightens the gaps between digit groups in a narrow frame) applies to
  // each space; canvas text measurement knows nothing of it.
  const wordSpacing = parseFloat(style.wordSpacing) || 0;
  const spaces = input.value.split(' ').length - 1;
  const text = ctx.measureText(input.value).width + spacing * input.value.length + wordSpacing * spaces;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const r = input.getBoundingClientRect();
  const frame = document.documentElement.clientWidth;
  const box = { left: r.left, right: r.right, clientWidth: input.clientWidth, scrollWidth: input.scrollWidth, scrollLeft: input.scrollLeft };
  // The input inside the frame (not cut by the frame's edge), nothing scrolled off either side,
  // and the text within the content box; one pixel for the caret.
  const fits = r.left >= -0.5 && r.right <= frame + 0.5 && input.scrollWidth <= input.clientWidth && input.scrollLeft === 0 && text + 1 <= room + 0.5;
  return { frame, value: input.value, input: box, text: Math.round(text * 10) / 10, room, fits };
}

/**
 * Measures the number input at each viewport width with the longest formatted number in it.
 * @example const misfits = (await checkNumberFits(driver, [280, 1000])).filter((f) => !f.fits);
 */
export async function checkNumberFits(driver: WidthDriver, widths: readonly number[], height = 900): Promise<NumberFit[]> {
  const out: NumberFit[] = [];
  for (const viewport of widths) {
    await driver.setViewport(viewport, height);
    out.push({ viewport, ...(await driver.inCardFrame(measure, LONGEST_NUMBER)) });
  }
  return out;
}

/** The driver for playwright-core: `frame` is the combined card's frame of `page`. */
export function playwrightWidthDriver(page: Page, frame: () => Frame): WidthDriver {
  return {
    async setViewport(width, height) {
      await page.setViewportSize({ width, height });
      // In view, as the customer sees it (Chromium does not render an off-screen cross-origin frame),
      // then two frames: the frame's resize message and the host's new iframe height both land.
      await (await frame().frameElement()).scrollIntoViewIfNeeded();
      await frame().evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    },
    inCardFrame: (fn, arg) => frame().evaluate(fn as never, arg) as never,
  };
}
