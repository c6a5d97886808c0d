import { Composer, type Context } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import type { Network } from '../../lib/crypto-address.ts';
import { AppError } from '../../lib/errors.ts';
import { localeOf } from '../../locales/index.ts';
import { BIO_MAX, NAME_MAX, NAME_MIN } from '../../modules/sellers/model.ts';
import { checkBio, checkDisplayName, checkEmail, checkPayoutAddress } from '../../modules/sellers/profile.ts';
import type { BotContext } from '../context.ts';
import { formatPrice } from '../format.ts';
import { cb } from '../keyboards/callback-data.ts';
import { sellerMenuKeyboard } from '../keyboards/my-courses.ts';
import { NETWORK_LABELS, networkOf, networksKeyboard, removeKeyboard, skipKeyboard } from '../keyboards/sell.ts';
import { question, retry, typed, type Answer } from '../ask.ts';
import type { BotConversation } from '../middleware/conversations.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml } from '../reply.ts';
import { askEmailCode, type CodeStep } from './email-code.ts';
import { suspendedNotice } from './seller-status.ts';

export const SELLER_ONBOARDING = 'seller-onboarding';

/** The seller behind this Telegram user, if any. */
export const sellerOf = (ctx: BotContext) => ctx.services.sellers.profiles.byUser(ctx.user.id);

/** The seller's home: who they are, where they are paid, what they can do. */
export async function showSellerHome(ctx: BotContext, notice?: string): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  const balance = ctx.services.sellers.payouts.balance(seller.id);
  const lines = [...(seller.status === 'suspended' ? [suspendedNotice(ctx, seller)] : []), ...(notice ? [notice] : [])];
  lines.push(
    ctx.t('seller-home', {
      name: escapeHtml(seller.displayName),
      network: seller.payoutNetwork ?? '—',
      address: escapeHtml(seller.payoutAddress ?? '—'),
      available: formatPrice(balance.available_cents, balance.currency, ctx.user.language),
    }),
    ctx.t('seller-home-commands'),
  );
  // The seller menu's buttons (My courses, Dashboard).
  await ctx.reply(lines.join('\n\n'), { reply_markup: sellerMenuKeyboard(ctx) });
}

const skipped = (ctx: BotContext, text: string) => text.trim() === ctx.t('sell-skip');

async function takeName(ctx: BotContext, text: string): Promise<Answer<string>> {
  const checked = checkDisplayName(text);
  if (checked.ok) return checked;
  await ctx.reply(
    ctx.t(checked.reason === 'too_long' ? 'sell-name-too-long' : 'sell-name-too-short', {
      min: NAME_MIN,
      max: NAME_MAX,
    }),
  );
  return retry;
}

async function takeBio(ctx: BotContext, text: string): Promise<Answer<string | null>> {
  const checked = checkBio(skipped(ctx, text) ? null : text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('sell-bio-too-long', { max: BIO_MAX }), { reply_markup: skipKeyboard(ctx) });
  return retry;
}

async function takeEmail(ctx: BotContext, text: string): Promise<Answer<string | null>> {
  const checked = checkEmail(skipped(ctx, text) ? null : text);
  if (!checked.ok) {
    await ctx.reply(ctx.t('sell-email-invalid'), { reply_markup: skipKeyboard(ctx) });
    return retry;
  }
  // Without SMTP no code can be sent: the address is kept as typed, and the seller is told.
  if (checked.value && !ctx.services.sellers.profiles.canVerifyEmail()) await ctx.reply(ctx.t('sell-email-unverified'));
  return checked;
}

/** The onboarding's code: the seller is not stored yet, so the code belongs to the Telegram user. */
const onboardingCode = (email: string): CodeStep<true> => ({
  send: (ctx) => ctx.services.sellers.profiles.sendOnboardingCode(ctx.user.id, email, localeOf(ctx.user.language)),
  check: (ctx, typed) => {
    const checked = ctx.services.sellers.profiles.checkOnboardingCode(ctx.user.id, typed);
    return checked.ok ? { ok: true, value: true } : checked;
  },
  giveUp: 'email-code-skip',
});

async function takeNetwork(ctx: BotContext, text: string): Promise<Answer<Network>> {
  const network = networkOf(text);
  if (network) return { ok: true, value: network };
  await ctx.reply(ctx.t('sell-network-unknown'), { reply_markup: networksKeyboard() });
  return retry;
}

const ADDRESS_REFUSALS = {
  empty: 'sell-address-format',
  format: 'sell-address-format',
  checksum: 'sell-address-checksum',
  network: 'sell-address-network',
};

async function takeAddress(ctx: BotContext, network: Network, text: string): Promise<Answer<string>> {
  const checked = checkPayoutAddress(network, text);
  if (checked.ok) return checked;
  const key = ADDRESS_REFUSALS[checked.reason as keyof typeof ADDRESS_REFUSALS] ?? 'sell-address-format';
  await ctx.reply(ctx.t(key, { network: NETWORK_LABELS[network] }));
  return retry;
}

/** The payout network (buttons), then an address checked against it; each re-asked until valid. */
export async function askPayoutAddress(
  conversation: BotConversation,
  clock: Clock,
  askNetwork: 'sell-ask-network' | 'payout-address-ask-network',
): Promise<{ network: Network; address: string }> {
  const network = await question(
    conversation,
    clock,
    (ctx) => ctx.reply(ctx.t(askNetwork), { reply_markup: networksKeyboard() }),
    typed(takeNetwork),
  );
  const address = await question(
    conversation,
    clock,
    (ctx) =>
      ctx.reply(ctx.t('sell-ask-address', { network: NETWORK_LABELS[network] }), { reply_markup: removeKeyboard }),
    typed((ctx, text) => takeAddress(ctx, network, text)),
  );
  return { network, address };
}

/** The profile is stored at the end only, in one transaction: leaving half way stores nothing. */
async function register(
  ctx: BotContext,
  profile: { name: string; bio: string | null; email: string | null; network: Network; address: string },
) {
  try {
    ctx.services.sellers.profiles.register(ctx.user.id, {
      display_name: profile.name,
      bio: profile.bio,
      email: profile.email,
      payout_network: profile.network,
      payout_address: profile.address,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict') return showSellerHome(ctx, ctx.t('sell-already'));
    throw error;
  }
  await showSellerHome(ctx, ctx.t('sell-welcome', { name: escapeHtml(profile.name) }));
}

/** /sell: name, bio, e-mail, payout network and address, each re-asked until valid. */
export function sellerOnboardingConversation(clock: Clock) {
  return async (conversation: BotConversation, _ctx: Context) => {
    const name = await question(
      conversation,
      clock,
      (ctx) =>
        ctx.reply(`${ctx.t('sell-intro')}\n\n${ctx.t('sell-ask-name', { min: NAME_MIN, max: NAME_MAX })}`, {
          reply_markup: removeKeyboard,
        }),
      typed(takeName),
    );
    const bio = await question(
      conversation,
      clock,
      (ctx) => ctx.reply(ctx.t('sell-ask-bio', { max: BIO_MAX }), { reply_markup: skipKeyboard(ctx) }),
      typed(takeBio),
    );
    const email = await question(
      conversation,
      clock,
      (ctx) => ctx.reply(ctx.t('sell-ask-email'), { reply_markup: skipKeyboard(ctx) }),
      typed(takeEmail),
    );
    if (email && (await conversation.external((ctx) => ctx.services.sellers.profiles.canVerifyEmail()))) {
      const verified = await askEmailCode(conversation, clock, onboardingCode(email));
      await conversation.external((ctx) =>
        ctx.reply(ctx.t(verified ? 'sell-email-verified' : 'sell-email-kept-unverified'), {
          reply_markup: removeKeyboard,
        }),
      );
    }
    const { network, address } = await askPayoutAddress(conversation, clock, 'sell-ask-network');
    await conversation.external((ctx) => register(ctx, { name, bio, email, network, address }));
  };
}

async function startSelling(ctx: BotContext): Promise<void> {
  if (sellerOf(ctx)) return showSellerHome(ctx);
  await ctx.conversation.enter(SELLER_ONBOARDING);
}

/** /sell and the menu's "Sell": onboarding for a newcomer, the seller's home for a seller. */
export const sellFeature = new Composer<BotContext>();

sellFeature.command('sell', startSelling);
sellFeature.command('seller', (ctx) => showSellerHome(ctx));
sellFeature.use(onCallback(cb.sell, startSelling));
