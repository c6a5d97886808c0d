import { Keyboard } from 'grammy';
import type { Network } from '../../lib/crypto-address.ts';
import type { BotContext } from '../context.ts';

/**
 * The payout networks as buyers' wallets name them; USDT travels on Ethereum (ERC-20) and TRON
 * (TRC-20), so those two say so. Reply-keyboard buttons (they answer with their text), because
 * the conversation waits for a message: an inline button press would leave it.
 */
export const NETWORK_LABELS: Record<Network, string> = {
  BTC: 'Bitcoin (BTC)',
  ETH: 'Ethereum (ETH, USDT ERC-20)',
  TRON: 'TRON (TRX, USDT TRC-20)',
  SOL: 'Solana (SOL)',
  LTC: 'Litecoin (LTC)',
};

/** The label pressed, or the network's code typed (`eth`, `TRON`). */
export function networkOf(text: string): Network | undefined {
  const typed = text.trim();
  const found = Object.entries(NETWORK_LABELS).find(([code, label]) => label === typed || code === typed.toUpperCase());
  return found?.[0] as Network | undefined;
}

export const networksKeyboard = () => {
  const keyboard = new Keyboard();
  for (const label of Object.values(NETWORK_LABELS)) keyboard.text(label).row();
  return keyboard.oneTime().resized();
};

/** For an optional answer: one "Skip" button. */
export const skipKeyboard = (ctx: BotContext) => new Keyboard().text(ctx.t('sell-skip')).oneTime().resized();

export const removeKeyboard = { remove_keyboard: true } as const;
