import { Composer, InlineKeyboard } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, show } from '../reply.ts';
import { sellerOf } from './sell.ts';

/** A seller has few keys; more than this are listed without buttons. */
const KEYS_WITH_BUTTONS = 8;

const day = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 10));

/** /apikey: the seller's live keys, a button to create one and one per key to revoke it. */
async function showKeys(ctx: BotContext, notice?: string): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  const keys = ctx.services.apiKeys.listForSeller(seller.id);
  const lines = notice ? [notice, ctx.t('apikey-title')] : [ctx.t('apikey-title')];
  if (keys.length === 0) lines.push(ctx.t('apikey-none'));
  else
    lines.push(
      keys
        .map((k) => ctx.t('apikey-line', { id: k.id, created: day(k.createdAt), used: day(k.lastUsedAt) }))
        .join('\n'),
    );
  const keyboard = new InlineKeyboard().text(ctx.t('button-apikey-new'), cb.apiKeyNew.pack({})).row();
  for (const key of keys.slice(0, KEYS_WITH_BUTTONS))
    keyboard.text(ctx.t('button-apikey-revoke', { id: key.id }), cb.apiKeyRevoke.pack({ id: key.id })).row();
  await show(ctx, lines.join('\n\n'), keyboard);
}

/** A new key, shown this once (only its hash is kept). */
async function createKey(ctx: BotContext): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  const created = ctx.services.apiKeys.create({ role: 'seller', seller_id: seller.id, label: 'telegram' });
  await ctx.reply(ctx.t('apikey-created', { key: escapeHtml(created.key), id: created.id }));
  await showKeys(ctx);
}

async function revokeKey(ctx: BotContext, id: string): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  try {
    ctx.services.apiKeys.revokeForSeller(seller.id, id);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'not_found') throw error;
  }
  await showKeys(ctx, ctx.t('apikey-revoked', { id }));
}

export const apiKeyFeature = new Composer<BotContext>();
apiKeyFeature.command('apikey', (ctx) => showKeys(ctx));
apiKeyFeature.use(onCallback(cb.apiKeyNew, createKey));
apiKeyFeature.use(onCallback(cb.apiKeyRevoke, (ctx, { id }) => revokeKey(ctx, id)));
