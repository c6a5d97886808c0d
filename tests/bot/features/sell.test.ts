/**
 * /sell: the onboarding conversation, one question at a time. Each step takes a valid answer,
 * re-asks politely after an invalid one, and ends with /cancel storing nothing; the seller is
 * created at the end only, in the seller's language. In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const ETH_TYPO = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const sellerOf = (user: TelegramUser) => {
  const row = h.app.users.findByTelegramId(user.id);
  return row && h.app.sellers.profiles.byUser(row.id);
};
const sellersCount = () => (h.app.store.sqlite.query('SELECT count(*) AS n FROM sellers').get() as { n: number }).n;
/** The reply keyboard's labels of the bot's last sendMessage to this user. */
const replyButtons = (user: TelegramUser) => {
  const call = h.fake
    .calls('sendMessage')
    .filter((c) => Number(c.params.chat_id) === user.id)
    .at(-1);
  const markup = call?.params.reply_markup as { keyboard?: { text: string }[][] } | undefined;
  return markup?.keyboard?.flat().map((b) => b.text) ?? [];
};
const errorsLogged = () => h.logs.filter((line) => line.level >= 50);

/** Answers up to (not including) the step named. */
async function onboardUpTo(user: TelegramUser, step: 'name' | 'bio' | 'email' | 'network' | 'address' | 'done') {
  await user.send('/sell');
  await user.waitForMessage(/What name should buyers see/);
  if (step === 'name') return;
  await user.send('Ada Academy');
  await user.waitForMessage(/Describe yourself/);
  if (step === 'bio') return;
  await user.send('I teach data science.');
  await user.waitForMessage(/Your e-mail address/);
  if (step === 'email') return;
  await user.send('⏭ Skip');
  await user.waitForMessage(/Choose the network/);
  if (step === 'network') return;
  await user.send('Bitcoin (BTC)');
  await user.waitForMessage(/paste your Bitcoin \(BTC\) address/);
  if (step === 'address') return;
  await user.send(BTC);
  await user.waitForMessage(/You are now a seller/);
}

describe('bot: /sell onboarding', () => {
  test('a Telegram user becomes a seller: name, bio, e-mail, network button, address; the seller home follows', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/sell');
    await user.waitForMessage(/Become a seller/);
    await user.send('  Ada   Academy ');
    await user.waitForMessage(/Describe yourself/);
    expect(replyButtons(user)).toEqual(['⏭ Skip']);
    await user.send('I teach <data> science.');
    await user.waitForMessage(/Your e-mail address/);
    await user.send('Ada@Example.org');
    await user.waitForMessage(/not verified yet/);
    await user.waitForMessage(/Choose the network/);
    expect(replyButtons(user)).toEqual([
      'Bitcoin (BTC)',
      'Ethereum (ETH, USDT ERC-20)',
      'TRON (TRX, USDT TRC-20)',
      'Solana (SOL)',
      'Litecoin (LTC)',
    ]);
    await user.send('Ethereum (ETH, USDT ERC-20)');
    await user.waitForMessage(/paste your Ethereum/);
    expect(sellersCount()).toBe(0);
    await user.send(ETH);
    const home = await user.waitForMessage(/Welcome, Ada Academy! You are now a seller/);
    expect(home.text).toContain(`Payout address: ETH ${ETH}`);
    expect(home.text).toContain('Available balance: $0.00');
    expect(sellerOf(user)).toMatchObject({
      displayName: 'Ada Academy',
      bio: 'I teach <data> science.',
      email: 'ada@example.org',
      payoutNetwork: 'ETH',
      payoutAddress: ETH,
    });

    // /sell again: the seller's home, no second onboarding.
    await user.send('/sell');
    await user.waitForMessage(/Ada Academy — seller/);
    expect(sellersCount()).toBe(1);
    expect(errorsLogged()).toEqual([]);
  });

  test('the main menu has "Sell", which starts the onboarding', async () => {
    const user = h.fake.user();
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    await user.tap('💼 Sell');
    await user.waitForMessage(/What name should buyers see/);
  });

  test('name: empty-ish, too short, too long, not text -> re-asked; then taken', async () => {
    const user = h.fake.user();
    await onboardUpTo(user, 'name');
    await user.send('A');
    await user.waitForMessage('That name is too short: 2 characters at least. Please try again.');
    await user.send('n'.repeat(51));
    await user.waitForMessage('That name is too long: 50 characters at most. Please try again.');
    await user.sendSticker();
    await user.waitForMessage('Please answer with text, or type /cancel.');
    await user.send('Al');
    await user.waitForMessage(/Describe yourself/);
  });

  test('bio: too long re-asked; Skip leaves it empty', async () => {
    const user = h.fake.user();
    await onboardUpTo(user, 'bio');
    await user.send('b'.repeat(501));
    await user.waitForMessage('That is too long: 500 characters at most. Please shorten it.');
    await user.send('⏭ Skip');
    await user.waitForMessage(/Your e-mail address/);
    await user.send('⏭ Skip');
    await user.waitForMessage(/Choose the network/);
    await user.send('sol');
    await user.waitForMessage(/paste your Solana/);
    await user.send('11111111111111111111111111111112');
    await user.waitForMessage(/You are now a seller/);
    expect(sellerOf(user)).toMatchObject({ bio: null, email: null, payoutNetwork: 'SOL' });
  });

  test('e-mail: a bad address is re-asked', async () => {
    const user = h.fake.user();
    await onboardUpTo(user, 'email');
    await user.send('ada at example');
    await user.waitForMessage(/does not look like an e-mail address/);
    await user.send('ada@example.org');
    await user.waitForMessage(/Choose the network/);
  });

  test('network: an unknown one is re-asked with the buttons', async () => {
    const user = h.fake.user();
    await onboardUpTo(user, 'network');
    await user.send('Dogecoin');
    await user.waitForMessage('Please choose one of the networks on the buttons.');
    expect(replyButtons(user)).toHaveLength(5);
    await user.send('TRON (TRX, USDT TRC-20)');
    await user.waitForMessage(/paste your TRON/);
  });

  test('address: a typo (bad checksum), another network, junk -> refused with the reason; nothing stored', async () => {
    const user = h.fake.user();
    await onboardUpTo(user, 'email');
    await user.send('⏭ Skip');
    await user.waitForMessage(/Choose the network/);
    await user.send('Ethereum (ETH, USDT ERC-20)');
    await user.waitForMessage(/paste your/);
    await user.send(ETH_TYPO);
    await user.waitForMessage(/has a typo in it \(its checksum does not match\)/);
    await user.send('hello');
    await user.waitForMessage(
      'That is not an address on Ethereum (ETH, USDT ERC-20). Please check it and paste it again.',
    );
    expect(sellerOf(user)).toBeUndefined();
    await user.send(ETH);
    await user.waitForMessage(/You are now a seller/);
  });

  test('/cancel at every step ends the onboarding and stores nothing; the next text is a search', async () => {
    for (const step of ['name', 'bio', 'email', 'network', 'address'] as const) {
      const user = h.fake.user();
      await onboardUpTo(user, step);
      await user.send('/cancel');
      await user.waitForMessage('OK, cancelled.');
      expect(sellerOf(user)).toBeUndefined();
      await user.send('bitcoin');
      await user.waitForMessage(/Results for|No course/);
      expect(sellerOf(user)).toBeUndefined();
    }
  });

  test('a French user is onboarded in French', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/sell');
    await user.waitForMessage(/Devenir vendeur/);
    await user.send('X');
    await user.waitForMessage(/Ce nom est trop court/);
    await user.send('Atelier Ada');
    await user.waitForMessage(/Présentez-vous/);
    await user.send('⏭ Passer');
    await user.waitForMessage(/Votre adresse e-mail/);
    await user.send('⏭ Passer');
    await user.waitForMessage(/Choisissez le réseau/);
    await user.send('Bitcoin (BTC)');
    await user.waitForMessage(/Collez maintenant/);
    await user.send(`${BTC.slice(0, -1)}x`);
    await user.waitForMessage(/Cette adresse Bitcoin \(BTC\) contient une faute de frappe/);
    await user.send(BTC);
    const home = await user.waitForMessage(/Vous êtes maintenant vendeur/);
    expect(home.text).toContain('Solde disponible');
  });
});
