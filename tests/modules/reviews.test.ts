import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { AppError } from '../../src/lib/errors.ts';
import { createReviews } from '../../src/modules/catalog/reviews.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { catalogFixture, ordersOn } from '../support/catalog.ts';

function reviewsFixture() {
  const base = catalogFixture();
  const { db, sqlite } = base.store;
  const orders = ordersOn(base);
  const users = createUsers({ db, clock: base.clock });
  const reviews = createReviews({
    db,
    clock: base.clock,
    owns: orders.owns,
    invalidate: base.catalog.invalidateProduct,
  });
  const product = base.product();
  let telegramId = 100;
  /** A buyer who paid for the product. */
  const owner = (productId = product.id) => {
    const user = users.upsertTelegram({ telegramId: ++telegramId, firstName: `Buyer ${telegramId}` });
    const { order } = orders.create({ buyerId: user.id, productId, method: 'crypto' });
    orders.transition(order.id, { to: 'paid', actor: 'test' });
    return { user, order };
  };
  const stored = (productId = product.id) =>
    sqlite
      .query('SELECT rating_count AS count, rating_sum AS sum, rating_avg AS avg FROM products WHERE id = ?')
      .get(productId) as {
      count: number;
      sum: number;
      avg: number;
    };
  const reviewRows = () => sqlite.query('SELECT user_id, rating, text FROM reviews ORDER BY id').all();
  return { ...base, orders, users, reviews, product, owner, stored, reviewRows };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('reviews', () => {
  test('an owner reviews: the product rating moves with the review, and the card shows it', () => {
    const { reviews, product, owner, stored, catalog } = reviewsFixture();
    const first = owner();
    const second = owner();
    const a = reviews.upsertReview(first.user.id, product.id, 5, '  Clear and practical.  ');
    expect(a).toMatchObject({
      rating: 5,
      text: 'Clear and practical.',
      created: true,
      product_rating: { average: 5, count: 1 },
    });
    const b = reviews.upsertReview(second.user.id, product.id.toLowerCase(), 2);
    expect(b).toMatchObject({ text: null, created: true, product_rating: { average: 3.5, count: 2 } });
    expect(stored()).toEqual({ count: 2, sum: 7, avg: 3.5 });
    expect(catalog.getProduct(product.id).rating).toEqual({ average: 3.5, count: 2 });
    expect(
      catalog
        .listReviews(product.id)
        .items.map((r) => r.rating)
        .sort(),
    ).toEqual([2, 5]);
  });

  test('one review per buyer and product: editing replaces it, the sum moves and the count does not', () => {
    const { reviews, product, owner, stored, reviewRows } = reviewsFixture();
    const { user } = owner();
    reviews.upsertReview(user.id, product.id, 4, 'Good');
    const edited = reviews.upsertReview(user.id, product.id, 1, 'Changed my mind');
    expect(edited).toMatchObject({ created: false, rating: 1, product_rating: { average: 1, count: 1 } });
    expect(stored()).toEqual({ count: 1, sum: 1, avg: 1 });
    expect(reviewRows()).toEqual([{ user_id: user.id, rating: 1, text: 'Changed my mind' }]);
    expect(reviews.reviewOf(user.id, product.id)).toEqual({ rating: 1, text: 'Changed my mind' });
    // Editing the text away clears it.
    reviews.upsertReview(user.id, product.id, 3, '   ');
    expect(reviews.reviewOf(user.id, product.id)).toEqual({ rating: 3, text: null });
    expect(stored()).toEqual({ count: 1, sum: 3, avg: 3 });
  });

  test('only owners: a stranger and a refunded buyer get 403, and nothing is written', () => {
    const { reviews, product, owner, orders, users, stored, reviewRows } = reviewsFixture();
    const stranger = users.upsertTelegram({ telegramId: 9 });
    expect(codeOf(() => reviews.upsertReview(stranger.id, product.id, 5))).toBe('forbidden');
    const refunded = owner();
    orders.transition(refunded.order.id, { to: 'refunded', actor: 'admin' });
    expect(codeOf(() => reviews.upsertReview(refunded.user.id, product.id, 5))).toBe('forbidden');
    expect(reviewRows()).toEqual([]);
    expect(stored()).toEqual({ count: 0, sum: 0, avg: 0 });
  });

  test('bad input is refused before anything is written: rating outside 1..5 or not whole, text over 1000, unknown product', () => {
    const { reviews, product, owner, reviewRows } = reviewsFixture();
    const { user } = owner();
    for (const rating of [0, 6, 2.5, Number.NaN]) {
      expect(codeOf(() => reviews.upsertReview(user.id, product.id, rating))).toBe('validation_failed');
    }
    expect(codeOf(() => reviews.upsertReview(user.id, product.id, 4, 'x'.repeat(1001)))).toBe('validation_failed');
    expect(reviews.upsertReview(user.id, product.id, 4, ` ${'x'.repeat(1000)} `).text).toHaveLength(1000);
    expect(codeOf(() => reviews.upsertReview(user.id, 'TBF-2611-ZZZZZZ', 4))).toBe('not_found');
    expect(reviewRows()).toHaveLength(1);
  });

  test("a review invalidates the product's cached card and the cached lists", async () => {
    const { reviews, product, owner, catalog } = reviewsFixture();
    const { user } = owner();
    const card = async () => JSON.parse(await catalog.json.product(product.id)).rating;
    const list = async () => JSON.parse(await catalog.json.products({ sort: 'rating' })).items[0].rating;
    expect(await card()).toEqual({ average: 0, count: 0 });
    expect(await list()).toEqual({ average: 0, count: 0 });
    reviews.upsertReview(user.id, product.id, 4);
    expect(await card()).toEqual({ average: 4, count: 1 });
    expect(await list()).toEqual({ average: 4, count: 1 });
  });

  test('property: after any sequence of reviews and edits the product rating equals what the reviews hold', () => {
    const { reviews, product, owner, stored, store } = reviewsFixture();
    const buyers = Array.from({ length: 4 }, () => owner().user.id);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 5 })), { maxLength: 20 }),
        (steps) => {
          for (const [who, rating] of steps) reviews.upsertReview(buyers[who]!, product.id, rating);
          const truth = store.sqlite
            .query('SELECT count(*) AS count, coalesce(sum(rating), 0) AS sum FROM reviews WHERE product_id = ?')
            .get(product.id) as { count: number; sum: number };
          const now = stored();
          expect({ count: now.count, sum: now.sum }).toEqual(truth);
          if (truth.count > 0) expect(now.avg).toBeCloseTo(truth.sum / truth.count, 10);
        },
      ),
      { numRuns: 100 },
    );
  });
});
