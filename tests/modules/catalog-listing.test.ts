/** Listing filters that contradict each other are refused with the field at fault, not guessed at. */
import { expect, test } from 'bun:test';
import { AppError } from '../../src/lib/errors.ts';
import { catalogFixture } from '../support/catalog.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('not refused');
};

test('relevance without search text, and a minimum price above the maximum, are validation errors', () => {
  const { catalog, product } = catalogFixture();
  product({ title: 'Sourdough at home' });
  const noText = refusal(() => catalog.listProducts({ sort: 'relevance', q: '   ' }));
  expect(noText).toBeInstanceOf(AppError);
  expect(noText).toMatchObject({ code: 'validation_failed', details: [{ in: 'query', field: 'sort' }] });
  const prices = refusal(() => catalog.listProducts({ min_price: 2000, max_price: 1000 }));
  expect(prices).toMatchObject({
    code: 'validation_failed',
    details: [{ in: 'query', field: 'min_price', message: 'must not exceed max_price' }],
  });
  // Equal bounds are a valid (narrow) range.
  expect(catalog.listProducts({ min_price: 1001, max_price: 1001 }).items.map((p) => p.title)).toEqual([
    'Sourdough at home',
  ]);
});
