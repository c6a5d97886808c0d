import { Composer, type Context } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { REVIEW_TEXT_MAX } from '../../modules/catalog/reviews.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import {
  formatAverage,
  reviewSavedKeyboard,
  skipCommentKeyboard,
  starsKeyboard,
  starsLabel,
} from '../keyboards/reviews.ts';
import { nextMessage, type BotConversation } from '../middleware/conversations.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, shorten, show } from '../reply.ts';

const TITLE_MAX = 200;
/** The current comment quoted when the buyer edits a review. */
const QUOTE_MAX = 300;
export const REVIEW_COMMENT = 'review-comment';

const titleOf = (ctx: BotContext, productId: string) => {
  const purchase = ctx.services.orders.purchases(ctx.user.id, { productId, limit: 1 })[0];
  return purchase && { title: escapeHtml(shorten(purchase.title, TITLE_MAX)), purchase };
};

/** A refusal the buyer must read: an alert for a button press, a message otherwise. */
async function tell(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}

/**
 * What the reviews service refused (not an owner, the course is gone), told politely; false
 * for errors that are not the buyer's doing (those go to the error boundary).
 */
async function refused(ctx: BotContext, error: unknown): Promise<boolean> {
  if (!(error instanceof AppError) || (error.code !== 'forbidden' && error.code !== 'not_found')) return false;
  await tell(ctx, ctx.t(error.code === 'forbidden' ? 'review-not-owner' : 'product-gone'));
  return true;
}

/** "Leave a review" / "Edit my review": the stars to choose, with the current review if any. */
async function askStars(ctx: BotContext, productId: string): Promise<void> {
  const owned = titleOf(ctx, productId);
  if (!owned) return tell(ctx, ctx.t('review-not-owner'));
  const lines = [ctx.t('review-ask', { title: owned.title })];
  const current = ctx.services.reviews.reviewOf(ctx.user.id, productId);
  if (current) lines.push(ctx.t('review-current', { rating: starsLabel(current.rating) }));
  await show(ctx, lines.join('\n\n'), starsKeyboard(ctx, productId));
}

/**
 * Stars chosen: the review is saved at once (the service checks ownership and moves the
 * product's rating in the same transaction), keeping an earlier comment; then the optional
 * comment is awaited (the review-comment conversation).
 */
async function rate(ctx: BotContext, productId: string, stars: number): Promise<void> {
  const { reviews } = ctx.services;
  const previous = reviews.reviewOf(ctx.user.id, productId);
  try {
    reviews.upsertReview(ctx.user.id, productId, stars, previous?.text ?? null);
  } catch (error) {
    if (await refused(ctx, error)) return;
    throw error;
  }
  const title = titleOf(ctx, productId)?.title ?? productId;
  const prompt = previous?.text
    ? ctx.t('review-comment-replace', { description: escapeHtml(shorten(previous.text, QUOTE_MAX)) })
    : ctx.t('review-comment-ask');
  const saved = ctx.t('review-stars-saved', { rating: starsLabel(stars), title });
  await show(ctx, [saved, prompt].join('\n\n'), skipCommentKeyboard(ctx, productId));
  await ctx.conversation.enter(REVIEW_COMMENT, productId, stars);
}

/** The confirmation: the buyer's stars and the course's new average. */
async function confirm(ctx: BotContext, productId: string, stars: number, rating: { average: number; count: number }) {
  const title = titleOf(ctx, productId)?.title ?? productId;
  const text = ctx.t('review-saved', {
    title,
    rating: starsLabel(stars),
    average: formatAverage(rating.average, ctx.user.language),
    count: rating.count,
  });
  await show(ctx, text, reviewSavedKeyboard(ctx));
}

/** The comment typed after the stars; true once the conversation is over (saved, or refused for good). */
async function comment(ctx: BotContext, productId: string, stars: number, text: string | undefined): Promise<boolean> {
  if (text === undefined) {
    // A sticker, a photo...: the comment must be text.
    await ctx.reply(ctx.t('review-comment-text-only'), { reply_markup: skipCommentKeyboard(ctx, productId) });
    return false;
  }
  let saved;
  try {
    saved = ctx.services.reviews.upsertReview(ctx.user.id, productId, stars, text);
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') {
      await ctx.reply(ctx.t('review-comment-too-long', { max: REVIEW_TEXT_MAX }), {
        reply_markup: skipCommentKeyboard(ctx, productId),
      });
      return false;
    }
    if (await refused(ctx, error)) return true;
    throw error;
  }
  await confirm(ctx, productId, saved.rating, saved.product_rating);
  return true;
}

/** Waits for the comment until it is saved, the buyer does something else, or the wait times out. */
export function reviewCommentConversation(clock: Clock) {
  return async (conversation: BotConversation, _ctx: Context, productId: string, stars: number) => {
    for (;;) {
      const { text } = await nextMessage(conversation, clock);
      if (await conversation.external((ctx) => comment(ctx, productId, stars, text))) return;
    }
  };
}

/** "Skip": the review saved with the stars stands as it is. */
async function skip(ctx: BotContext, productId: string): Promise<void> {
  const review = ctx.services.reviews.reviewOf(ctx.user.id, productId);
  const owned = titleOf(ctx, productId);
  if (!review || !owned) return askStars(ctx, productId);
  const { ratingAverage: average, ratingCount: count } = owned.purchase;
  await confirm(ctx, productId, review.rating, { average, count });
}

/**
 * Reviews: 1–5 stars as buttons, then an optional comment, one review per buyer and course
 * (a second one edits the first), only from owners.
 */
export const reviewsFeature = new Composer<BotContext>();

reviewsFeature.use(onCallback(cb.review, (ctx, { id }) => askStars(ctx, id)));
reviewsFeature.use(onCallback(cb.rate, (ctx, { id, stars }) => rate(ctx, id, stars)));
reviewsFeature.use(onCallback(cb.rateSkip, (ctx, { id }) => skip(ctx, id)));
