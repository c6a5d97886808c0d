/**
 * Reviews: stars as buttons, then the optional comment the review-comment conversation waits
 * for (re-asked politely when it is not text or too long, ended by any command or button,
 * by /cancel, or by time); only owners review. The reviews feature in process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cb } from '../../../src/bot/keyboards/callback-data.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const errorsLogged = () => h.logs.filter((line) => line.level >= 50);
const rating = (productId: string) => h.app.catalog.getProduct(productId).rating;

/** From /library to the purchase card of `title`. */
async function openPurchase(user: TelegramUser, title: string) {
  await user.send('/library');
  await user.waitForMessage(/Every course you bought stays here|Chaque formation achetée reste ici/);
  await user.tap(`📘 ${title}`);
  await user.waitForMessage(title);
}

describe('bot: reviews', () => {
  test('Review -> 5 stars -> comment: the course is rated 5.0 from one review; editing to 3 stars keeps one review', async () => {
    const product = await h.product({ title: 'Solidity in practice' });
    const user = h.fake.user({ language_code: 'en' });
    const { buyerId } = await h.own(user, product.id);

    await openPurchase(user, 'Solidity in practice');
    await user.tap('⭐ Review');
    await user.waitForMessage(/How many stars/);
    expect(user.buttons()).toEqual(['⭐⭐⭐⭐⭐', '⭐⭐⭐⭐', '⭐⭐⭐', '⭐⭐', '⭐', '⬅️ Back', '🏠 Menu']);
    await user.tap('⭐⭐⭐⭐⭐');
    await user.waitForMessage(/Send it as a message, or tap Skip/);
    expect(user.buttons()).toEqual(['Skip ⏭']);
    await user.send('Clear, practical, and the exercises <really> help.');
    const saved = await user.waitForMessage(/is saved/);
    expect(saved.text).toContain('now rated 5.0/5 (one review)');
    expect(rating(product.id)).toEqual({ average: 5, count: 1 });
    expect(h.app.reviews.reviewOf(buyerId, product.id)).toEqual({
      rating: 5,
      text: 'Clear, practical, and the exercises <really> help.',
    });

    // Edit: the card says so, the current review is shown, Skip keeps the comment.
    await openPurchase(user, 'Solidity in practice');
    expect(user.lastMessage().text).toContain('Your review: ⭐⭐⭐⭐⭐');
    await user.tap('✏️ Edit my review');
    await user.waitForMessage(/Your current review: ⭐⭐⭐⭐⭐/);
    await user.tap('⭐⭐⭐');
    const prompt = await user.waitForMessage(/Your current comment/);
    expect(prompt.text).toContain('the exercises <really> help');
    await user.tap('Skip ⏭');
    const edited = await user.waitForMessage(/is saved/);
    expect(edited.text).toContain('now rated 3.0/5 (one review)');
    expect(rating(product.id)).toEqual({ average: 3, count: 1 });
    expect(h.app.reviews.reviewOf(buyerId, product.id)?.text).toContain('the exercises');

    // A second buyer moves the average.
    const other = h.fake.user();
    await h.own(other, product.id);
    await openPurchase(other, 'Solidity in practice');
    await other.tap('⭐ Review');
    await other.waitForMessage(/How many stars/);
    await other.tap('⭐⭐⭐⭐');
    await other.waitForMessage(/tap Skip/);
    await other.tap('Skip ⏭');
    const second = await other.waitForMessage(/is saved/);
    expect(second.text).toContain('now rated 3.5/5 (2 reviews)');
    expect(rating(product.id)).toEqual({ average: 3.5, count: 2 });
    expect(errorsLogged()).toEqual([]);
  });

  test('a non-owner cannot review: the Review button and the service both refuse politely', async () => {
    const product = await h.product({ title: 'Owners only' });
    const stranger = h.fake.user();
    await stranger.send('/start');
    await stranger.waitForMessage(/Hello/);
    await h.bot.api.sendMessage(stranger.id, 'Forged buttons', {
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Review', callback_data: cb.review.pack({ id: product.id }) }],
          [{ text: 'Five stars', callback_data: cb.rate.pack({ id: product.id, stars: 5 }) }],
        ],
      },
    });
    await stranger.tap('Review');
    expect(await stranger.callbackAnswer()).toMatchObject({
      text: 'Only buyers of this course can review it.',
      show_alert: true,
    });
    await stranger.tap('Five stars');
    expect(await stranger.callbackAnswer()).toMatchObject({
      text: 'Only buyers of this course can review it.',
      show_alert: true,
    });
    expect(rating(product.id)).toEqual({ average: 0, count: 0 });
    // Nothing is awaited: the next text is a search.
    await stranger.send('owners');
    await stranger.waitForMessage(/Results for/);
  });

  test('while a comment is awaited: a sticker gets a polite word, a too long comment is refused, a command ends the wait', async () => {
    const product = await h.product({ title: 'Patient reviewer' });
    const user = h.fake.user();
    const { buyerId } = await h.own(user, product.id);
    await openPurchase(user, 'Patient reviewer');
    await user.tap('⭐ Review');
    await user.waitForMessage(/How many stars/);
    await user.tap('⭐⭐⭐⭐');
    await user.waitForMessage(/tap Skip/);

    await user.sendSticker();
    await user.waitForMessage(/send your comment as a text message/);
    await user.send('x'.repeat(1001));
    await user.waitForMessage(/That comment is too long: 1,000 characters at most/);
    await user.send('Worth it.');
    await user.waitForMessage(/now rated 4.0\/5/);
    expect(h.app.reviews.reviewOf(buyerId, product.id)).toEqual({ rating: 4, text: 'Worth it.' });

    // A command in the middle: the wait is over, the next text is a search again.
    await openPurchase(user, 'Patient reviewer');
    await user.tap('✏️ Edit my review');
    await user.waitForMessage(/How many stars/);
    await user.tap('⭐⭐');
    await user.waitForMessage(/tap Skip/);
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    await user.send('patient');
    await user.waitForMessage(/Results for/);
    expect(h.app.reviews.reviewOf(buyerId, product.id)).toEqual({ rating: 2, text: 'Worth it.' });
    expect(errorsLogged()).toEqual([]);
  });

  test('"Leave a review" on the thank-you after delivery leads to the stars', async () => {
    const product = await h.product({ title: 'Thank-you review' });
    const user = h.fake.user();
    await h.own(user, product.id);
    // The thank-you the deliver job sends carries the product's review button.
    const data = cb.review.pack({ id: product.id });
    const buttons = () =>
      user.messages().flatMap((m) => (m.reply_markup?.inline_keyboard.flat() ?? []).map((button) => ({ m, button })));
    const thanks = () => buttons().find(({ button }) => button.callback_data === data);
    expect(thanks()).toBeDefined();
    const { m, button } = thanks()!;
    await user.tap(button.text, { messageId: m.message_id });
    await user.waitForMessage(/Thank-you review[\s\S]*How many stars/);
  });

  test('a French buyer downloads again and reviews in French', async () => {
    const product = await h.product({ title: 'Analyse technique' });
    const user = h.fake.user({ language_code: 'fr' });
    const { file } = await h.own(user, product.id);
    expect(user.documents()).toHaveLength(1);

    await user.send('/start');
    await user.waitForMessage(/Bonjour/);
    await user.tap('📚 Mes achats');
    await user.waitForMessage(/Chaque formation achetée reste ici/);
    await user.tap('📘 Analyse technique');
    const card = await user.waitForMessage(/pas encore d'avis/);
    expect(card.text).toContain("Vous n'avez pas encore donné votre avis");
    expect(user.buttons()).toEqual(['⬇️ Télécharger à nouveau', '⭐ Donner mon avis', '⬅️ Retour', '🏠 Menu']);

    await user.tap('⬇️ Télécharger à nouveau');
    expect(await user.callbackAnswer()).toMatchObject({ text: '📤 Envoi de votre fichier…' });
    await h.fake.idle();
    expect(user.documents()).toHaveLength(2);
    expect(user.documents()[1]!.sha256).toBe(file!.sha256);

    await user.tap('⭐ Donner mon avis');
    await user.waitForMessage(/Combien d'étoiles/);
    await user.tap('⭐⭐⭐⭐');
    await user.waitForMessage(/Voulez-vous ajouter un commentaire/);
    await user.sendSticker();
    await user.waitForMessage(/sous forme de texte/);
    await user.send('Très clair, merci.');
    const saved = await user.waitForMessage(/est enregistré/);
    expect(saved.text).toContain('désormais notée 4,0/5 (1 avis)');
    expect(user.buttons()).toEqual(['📚 Mes achats', '🏠 Menu']);
  });
});
