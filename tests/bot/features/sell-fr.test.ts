/**
 * /sell in French: every invalid answer (empty, too short, too long,
 * not text, bad e-mail, unknown network, bad address checksum, another network's address,
 * junk) is refused with the French text and asked again; nothing is stored until the end.
 * And the 30-minute wait: after it (on the bot's clock) the next message is not taken as an
 * answer, and /sell starts afresh. In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { sellerOfUser } from '../../support/seller.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const ETH_TYPO = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD';
const MINUTE = 60_000;

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const sellerOf = (user: TelegramUser) => sellerOfUser(h.app, user);

/** Sends `answer` and expects exactly `reply` back. */
async function refused(user: TelegramUser, answer: string, reply: string) {
  await user.send(answer);
  await user.waitForMessage(reply);
}

describe('bot: /sell in French', () => {
  test('every invalid answer is refused in French and asked again; nothing is stored before the end', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/sell');
    await user.waitForMessage(/Quel nom les acheteurs verront-ils/);
    await refused(user, '   ', 'Ce nom est trop court : 2 caractères au moins. Merci de réessayer.');
    await refused(user, 'A', 'Ce nom est trop court : 2 caractères au moins. Merci de réessayer.');
    await refused(user, 'n'.repeat(51), 'Ce nom est trop long : 50 caractères au plus. Merci de réessayer.');
    await user.sendSticker();
    await user.waitForMessage('Merci de répondre par un texte, ou tapez /cancel.');
    await user.send('Atelier Ada');
    await user.waitForMessage(/Présentez-vous/);
    await refused(user, 'b'.repeat(501), "C'est trop long : 500 caractères au plus. Merci de raccourcir.");
    await user.send('⏭ Passer');
    await user.waitForMessage(/Votre adresse e-mail/);
    await refused(
      user,
      'ada chez exemple',
      'Cela ne ressemble pas à une adresse e-mail (comme nom@exemple.fr). Merci de réessayer, ou touchez Passer.',
    );
    await refused(
      user,
      `${'a'.repeat(250)}@exemple.fr`,
      'Cela ne ressemble pas à une adresse e-mail (comme nom@exemple.fr). Merci de réessayer, ou touchez Passer.',
    );
    await user.send('ada@exemple.fr');
    // No SMTP here: the address is kept unverified, and the seller is told so.
    await user.waitForMessage("C'est noté. Cette adresse n'est pas encore vérifiée : vérifiez qu'elle est juste.");
    await user.waitForMessage(/Choisissez le réseau/);
    await refused(user, 'Dogecoin', "Merci de choisir l'un des réseaux proposés sur les boutons.");
    await user.send('Ethereum (ETH, USDT ERC-20)');
    await user.waitForMessage(/Collez maintenant votre adresse/);
    const network = 'Ethereum (ETH, USDT ERC-20)';
    await refused(user, '   ', `Ce n'est pas une adresse ${network}. Vérifiez-la et collez-la à nouveau.`);
    await refused(
      user,
      `0x${'a'.repeat(300)}`,
      `Ce n'est pas une adresse ${network}. Vérifiez-la et collez-la à nouveau.`,
    );
    await refused(
      user,
      ETH_TYPO,
      `Cette adresse ${network} contient une faute de frappe (sa somme de contrôle ne correspond pas). Copiez-la à nouveau depuis votre portefeuille.`,
    );
    expect(sellerOf(user)).toBeUndefined();
    await user.send(ETH);
    await user.waitForMessage(/Bienvenue, <b>Atelier Ada<\/b>|Bienvenue, Atelier Ada/);
    expect(sellerOf(user)).toMatchObject({
      displayName: 'Atelier Ada',
      email: 'ada@exemple.fr',
      emailVerifiedAt: null,
    });
  });

  test('timeout: an answer after 30 minutes is not taken (it is a search), nothing is stored; /sell starts again', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/sell');
    await user.waitForMessage(/Quel nom/);
    await user.send('Atelier Bea');
    await user.waitForMessage(/Présentez-vous/);
    // The question is shown before the wait begins: let the bot finish before the clock moves.
    await h.fake.idle();
    h.clock.advance(30 * MINUTE);
    await user.send('Je parle de bitcoin.');
    await user.waitForMessage(/Résultats pour|Aucune formation/);
    expect(sellerOf(user)).toBeUndefined();
    // The conversation is over: the next text is a search too, not the e-mail step.
    await user.send('ada@exemple.fr');
    await user.waitForMessage(/Résultats pour|Aucune formation/);
    await user.send('/sell');
    await user.waitForMessage(/Quel nom/);
    await user.send('Atelier Bea');
    await user.waitForMessage(/Présentez-vous/);
  });

  test('just under 30 minutes, the answer is still taken', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/sell');
    await user.waitForMessage(/Quel nom/);
    await h.fake.idle();
    h.clock.advance(30 * MINUTE - 1);
    await user.send('Atelier Cleo');
    await user.waitForMessage(/Présentez-vous/);
  });
});
