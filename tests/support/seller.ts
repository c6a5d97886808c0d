/**
 * Sellers for the bot's tests: a Telegram user made a seller through the sellers module (the
 * onboarding conversation has its own tests), and the seller behind a Telegram user.
 */
import type { App } from '../../src/app.ts';
import type { TelegramUser } from './telegram-user.ts';

export const SELLER_BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

/** `user` as a seller paid in BTC, in the user's Telegram language. */
export function registerSeller(app: App, user: TelegramUser, name = 'Sam Teaches') {
  const row = app.users.upsertTelegram({
    telegramId: user.id,
    firstName: name.split(' ')[0]!,
    languageCode: user.user.language_code,
  });
  return app.sellers.profiles.register(row.id, {
    display_name: name,
    payout_network: 'BTC',
    payout_address: SELLER_BTC,
  });
}

/** The seller row of a Telegram user, if they became one. */
export function sellerOfUser(app: App, user: TelegramUser) {
  const row = app.users.findByTelegramId(user.id);
  return row && app.sellers.profiles.byUser(row.id);
}
