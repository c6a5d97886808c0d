import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { products, reviews } from '../../store/schema/index.ts';

export const REVIEW_TEXT_MAX = 1000;

export interface ReviewsDeps {
  db: Db;
  clock: Clock;
  /** Whether the user holds a live (not revoked) entitlement to the product (orders.owns). */
  owns: (userId: number, productId: string) => boolean;
  /** Drops the cached card and lists of a product whose rating changed (catalog.invalidateProduct). */
  invalidate: (productId: string) => void;
}

export interface ReviewResult {
  id: number;
  product_id: string;
  rating: number;
  text: string | null;
  /** False when the buyer's earlier review was replaced. */
  created: boolean;
  /** The product's rating after this review. */
  product_rating: { average: number; count: number };
}

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `invalid review: ${field}`, [{ in: 'body', field, message }]);

function checkInput(rating: number, text: string | null | undefined): string | null {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    throw invalid('rating', 'a whole number of stars from 1 to 5');
  const trimmed = text?.trim() ?? '';
  if (trimmed.length > REVIEW_TEXT_MAX) throw invalid('text', `at most ${REVIEW_TEXT_MAX} characters`);
  return trimmed === '' ? null : trimmed;
}

/**
 * Buyers' reviews: one per buyer and product (a second one replaces the first), only from
 * owners. The product's denormalised rating (count, sum, average) moves in the same
 * transaction as the review, so it always equals what the reviews table holds.
 */
export function createReviews({ db, clock, owns, invalidate }: ReviewsDeps) {
  function upsertReview(userId: number, productId: string, rating: number, text?: string | null): ReviewResult {
    const body = checkInput(rating, text);
    const id = normalizeProductId(productId);
    const result = db.transaction(
      (tx) => {
        const product = tx.select({ id: products.id }).from(products).where(eq(products.id, id)).get();
        if (!product) throw notFound(`product ${productId}`);
        if (!owns(userId, id)) throw forbidden('only buyers who own this course may review it');
        const now = clock.now();
        const previous = tx
          .select({ id: reviews.id, rating: reviews.rating })
          .from(reviews)
          .where(and(eq(reviews.productId, id), eq(reviews.userId, userId)))
          .get();
        const review = previous
          ? tx
              .update(reviews)
              .set({ rating, text: body, updatedAt: now })
              .where(eq(reviews.id, previous.id))
              .returning()
              .get()
          : tx
              .insert(reviews)
              .values({ productId: id, userId, rating, text: body, createdAt: now, updatedAt: now })
              .returning()
              .get();
        // SET expressions read the row as it was before the update.
        const added = previous ? 0 : 1;
        const delta = rating - (previous?.rating ?? 0);
        const rated = tx
          .update(products)
          .set({
            ratingCount: sql`${products.ratingCount} + ${added}`,
            ratingSum: sql`${products.ratingSum} + ${delta}`,
            ratingAvg: sql`(${products.ratingSum} + ${delta}) * 1.0 / (${products.ratingCount} + ${added})`,
          })
          .where(eq(products.id, id))
          .returning({ count: products.ratingCount, average: products.ratingAvg })
          .get()!;
        return {
          id: review.id,
          product_id: id,
          rating: review.rating,
          text: review.text,
          created: !previous,
          product_rating: { average: Math.round(rated.average * 100) / 100, count: rated.count },
        };
      },
      { behavior: 'immediate' },
    );
    invalidate(id);
    return result;
  }

  /** The user's own review of a product, to prefill an edit; null when there is none. */
  function reviewOf(userId: number, productId: string): { rating: number; text: string | null } | null {
    const row = db
      .select({ rating: reviews.rating, text: reviews.text })
      .from(reviews)
      .where(and(eq(reviews.productId, normalizeProductId(productId)), eq(reviews.userId, userId)))
      .get();
    return row ?? null;
  }

  return { upsertReview, reviewOf };
}

export type Reviews = ReturnType<typeof createReviews>;
