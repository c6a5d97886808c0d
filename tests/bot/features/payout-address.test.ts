/**
 * /payout -> "Change the payout address" without SMTP (no e-mail can be verified): network,
 * address checked per network, applied at once. Every invalid address is refused in the
 * seller's language and asked again; /cancel changes nothing. A suspended seller is told why
 * on /sell, /payout and /newcourse, in their language. In process (the e-mail code: the whole
 * app with a real SMTP server, tests/journeys/seller-email.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { registerSeller, SELLER_BTC } from '../../support/seller.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const BTC = SELLER_BTC;
const BTC_TYPO = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx';
const LTC = 'LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9';
const SOL = '11111111111111111111111111111112';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const seller = (user: TelegramUser) => registerSeller(h.app, user);

async function openChange(user: TelegramUser, title: RegExp, button: string, ask: RegExp) {
  await user.send('/payout');
  await user.waitForMessage(title);
  await user.tap(button);
  await user.waitForMessage(ask);
}

describe('bot: changing the payout address', () => {
  test('without a verified e-mail: network, address, applied at once', async () => {
    const user = h.fake.user({ language_code: 'en' });
    const { id } = seller(user);
    await openChange(user, /Payout/, '✏️ Change the payout address', /network of your new payout address/);
    await user.send('Solana (SOL)');
    await user.waitForMessage(/paste your Solana/);
    await user.send(SOL);
    await user.waitForMessage(`✅ New payout address: SOL ${SOL}`);
    expect(h.app.sellers.profiles.view(id)).toMatchObject({ payout_network: 'SOL', payout_address: SOL });
  });

  test('in French: empty, too long, bad checksum, another network refused and asked again; /cancel changes nothing', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    const { id } = seller(user);
    await openChange(user, /Paiement/, '✏️ Changer l’adresse de paiement', /réseau de votre nouvelle adresse/);
    await user.send('Dogecoin');
    await user.waitForMessage("Merci de choisir l'un des réseaux proposés sur les boutons.");
    await user.send('Bitcoin (BTC)');
    await user.waitForMessage(
      /Collez maintenant votre adresse <b>Bitcoin \(BTC\)<\/b>|Collez maintenant votre adresse Bitcoin/,
    );
    const format = "Ce n'est pas une adresse Bitcoin (BTC). Vérifiez-la et collez-la à nouveau.";
    for (const [answer, reply] of [
      ['   ', format],
      [`bc1q${'a'.repeat(200)}`, format],
      [
        BTC_TYPO,
        'Cette adresse Bitcoin (BTC) contient une faute de frappe (sa somme de contrôle ne correspond pas). Copiez-la à nouveau depuis votre portefeuille.',
      ],
      [LTC, 'Cette adresse appartient à un autre réseau que Bitcoin (BTC). Merci de coller une adresse Bitcoin (BTC).'],
    ] as const) {
      await user.send(answer);
      await user.waitForMessage(reply);
    }
    await user.send('/cancel');
    await user.waitForMessage("D'accord, c'est annulé.");
    expect(h.app.sellers.profiles.view(id)).toMatchObject({ payout_network: 'BTC', payout_address: BTC });
  });
});

describe('bot: a suspended seller sees why', () => {
  test('/sell, /payout and /newcourse tell the seller the account is suspended and the reason, in French', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    const { id } = seller(user);
    await h.app.admin.moderation.suspendSeller('admin:test', id, true, 'Formations copiées');
    await user.waitForMessage(/Motif : Formations copiées/);
    expect(h.app.sellers.profiles.view(id)).toMatchObject({
      status: 'suspended',
      suspended_reason: 'Formations copiées',
    });

    for (const command of ['/sell', '/payout', '/newcourse']) {
      await user.send(command);
      const told = await user.waitForMessage(/Votre compte vendeur est suspendu\.\nMotif : Formations copiées/);
      expect(told.text).toContain('vous ne pouvez ni publier ni demander de paiement');
    }
    // No request or change button for a suspended seller.
    await user.send('/payout');
    const payout = await user.waitForMessage(/Motif : Formations copiées/);
    expect(user.buttons(payout.message_id)).toEqual([]);

    await h.app.admin.moderation.suspendSeller('admin:test', id, false);
    expect(h.app.sellers.profiles.view(id).suspended_reason).toBeNull();
    await user.send('/sell');
    const home = await user.waitForMessage(/Sam Teaches/);
    expect(home.text).not.toContain('suspendu');
  });

  test('in English too', async () => {
    const user = h.fake.user({ language_code: 'en' });
    const { id } = seller(user);
    await h.app.admin.moderation.suspendSeller('admin:test', id, true, 'Copied courses');
    await user.send('/newcourse');
    await user.waitForMessage(/Your seller account is suspended\.\nReason: Copied courses/);
  });
});
