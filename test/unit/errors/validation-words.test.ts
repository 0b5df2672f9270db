/**
 * One set of words for one error: direct mode (whose errors carry the catalogue's messages), the
 * vault and the English frame say exactly the same thing for each card-field error.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/errors/catalogue';
import { validateCardInput } from '../../../src/direct/validate-card-input';
import { t, type ValidationCode } from '../../../src/frame/locales';

const CODES = Object.entries(CATALOGUE)
  .filter(([, e]) => e.type === 'validation_error')
  .map(([code]) => code as ValidationCode);

describe('validation messages', () => {
  it.each(CODES)('%s: the catalogue says what the English frame says', (code) => {
    expect(CATALOGUE[code].message).toBe(t('en', code));
  });

  it('direct mode rejects an incomplete number in the frame\'s words', () => {
    let message = '';
    try {
      validateCardInput({ number: '4242', exp_month: 12, exp_year: 2040, cvc: '123' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(t('en', 'incomplete_number'));
  });
});
