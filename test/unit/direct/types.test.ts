/** Type tests of the public direct-mode API: misuse is a compile error (checked by `tsc`). */
import { describe, expectTypeOf, it } from 'vitest';
import { CardvaultDirect, type CardvaultDirectInstance, type Token } from '../../../src/entries/direct';

describe('direct-mode types', () => {
  it('types the factory and createToken', () => {
    expectTypeOf(CardvaultDirect).parameter(0).toEqualTypeOf<string | (() => Promise<string>)>();
    expectTypeOf(CardvaultDirect).returns.toEqualTypeOf<CardvaultDirectInstance>();
    expectTypeOf<CardvaultDirectInstance['createToken']>().returns.toEqualTypeOf<Promise<Token>>();
  });

  it('rejects misuse at compile time', () => {
    const never = (): void => {
      // @ts-expect-error a number is not a key
      CardvaultDirect(42);
      // @ts-expect-error unknown option
      CardvaultDirect('pk_test_x', { retries: 3 });
      const cv = CardvaultDirect('pk_test_x');
      // @ts-expect-error cvc is required
      void cv.createToken({ number: '4242', exp_month: 1, exp_year: 2030 });
      // @ts-expect-error unknown card member
      void cv.createToken({ number: '4242', exp_month: 1, exp_year: 2030, cvc: '123', cvv: '123' });
      // @ts-expect-error the number is a string (leading zeros, long digits)
      void cv.createToken({ number: 4242424242424242, exp_month: 1, exp_year: 2030, cvc: '123' });
      // @ts-expect-error unknown billing member
      void cv.createToken({ number: '4242', exp_month: 1, exp_year: 2030, cvc: '123' }, { billing: { phone: '1' } });
    };
    void never;
  });
});
