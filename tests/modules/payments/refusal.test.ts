/**
 * Why a purchase cannot go on, as the payments module tells the faces: provider trouble,
 * ownership, a missing product, a currency's minimum or refusal, each a typed reason; errors
 * that are nobody's refusal (bugs) are not hidden. The bot words each reason for the buyer.
 */
import { describe, expect, test } from 'bun:test';
import { AppError } from '../../../src/lib/errors.ts';
import { CircuitOpenError, UncertainOutcomeError } from '../../../src/lib/http-client/errors.ts';
import { refusable, refusalOf } from '../../../src/modules/payments/refusal.ts';

describe('payments: refusal reasons', () => {
  test('provider trouble, ownership, a missing product and a currency minimum each get their reason; bugs are not hidden', () => {
    expect(refusalOf(new CircuitOpenError('nowpayments', 30))).toBe('unavailable');
    expect(refusalOf(new UncertainOutcomeError('nowpayments', 'POST', '/v1/payment', { cause: null }))).toBe(
      'unavailable',
    );
    expect(refusalOf(new AppError('conflict', 'you already own this course', { reason: 'already_owned' }))).toBe(
      'already_owned',
    );
    expect(refusalOf(new AppError('not_found', 'product X not found'))).toBe('product_gone');
    const minimal = new AppError(
      'validation_failed',
      'the payment provider refused: Crypto amount 1 is less than minimal',
      {
        provider_code: 'AMOUNT_MINIMAL_ERROR',
      },
    );
    expect(refusalOf(minimal, 'usdttrc20')).toBe('below_minimum');
    // Our own check, before asking the provider, names the minimum in its details.
    const ours = new AppError('validation_failed', 'USD 0.50 is below the smallest BTC payment', [
      { in: 'body', field: 'pay_currency', message: 'below the provider minimum for this currency' },
    ]);
    expect(refusalOf(ours, 'btc')).toBe('below_minimum');
    expect(refusalOf(new AppError('validation_failed', 'xyz is not accepted'), 'xyz')).toBe('currency_refused');
    // Without a chosen currency a validation error is not the buyer's refusal.
    expect(refusalOf(new AppError('validation_failed', 'xyz is not accepted'))).toBeUndefined();
    expect(refusalOf(new TypeError('a bug'))).toBeUndefined();
  });

  test('a step either gives its value or its refusal; a bug is thrown', async () => {
    expect(await refusable(() => ({ answer: 42 }))).toEqual({ ok: true, answer: 42 });
    expect(await refusable(() => Promise.reject(new AppError('not_found', 'gone')))).toEqual({
      ok: false,
      reason: 'product_gone',
    });
    await expect(refusable(() => Promise.reject(new TypeError('a bug')))).rejects.toThrow('a bug');
  });
});
