/**
 * /email: a Telegram buyer's address for e-mail copies of receipts and support answers
 * (issue 12). In process. What the deliver job does with `users.email` (a receipt copy on the
 * real SMTP server) is tests/payments/email-delivery.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';

const SMTP = { SMTP_SERVER: '127.0.0.1', SMTP_PORT: '2525', SMTP_FROM: 'shop@example.org' };

describe('bot: /email with e-mail configured', () => {
  let h: TestBot;
  beforeAll(() => {
    h = createTestBot({ env: SMTP });
  });
  afterAll(() => h.stop());
  const emailOf = (telegramId: number) => h.app.users.findByTelegramId(telegramId)?.email ?? null;

  test('set, shown, changed and removed; the address is stored trimmed and lower-cased', async () => {
    const user = h.fake.user();
    await user.send('/email');
    await user.waitForMessage(/No e-mail address is kept for you/);
    await user.send('/email  Ana@Example.ORG ');
    await user.waitForMessage(
      '✅ Saved: your next receipts and answers will also be e-mailed to ana@example.org. /email off stops it.',
    );
    expect(emailOf(user.id)).toBe('ana@example.org');
    await user.send('/email');
    await user.waitForMessage(/go to ana@example\.org/);
    await user.send('/email off');
    await user.waitForMessage('✅ Removed: no more e-mail copies.');
    expect(emailOf(user.id)).toBeNull();
  });

  test('a bad address or one held by another account is refused, in the user language; nothing changes', async () => {
    const other = h.fake.user();
    await other.send('/email taken@example.org');
    await other.waitForMessage(/Saved/);
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/email pas-une-adresse');
    await user.waitForMessage(
      "Ce n'est pas une adresse e-mail. Tapez-la après la commande, comme /email vous@exemple.fr.",
    );
    await user.send('/email Taken@example.org');
    await user.waitForMessage(/appartient déjà à un autre compte/);
    expect(emailOf(user.id)).toBeNull();
    expect(emailOf(other.id)).toBe('taken@example.org');
  });
});

test('bot: /email without SMTP says the shop sends no e-mail and stores nothing', async () => {
  const h = createTestBot();
  try {
    const user = h.fake.user();
    await user.send('/email ana@example.org');
    await user.waitForMessage(/This shop sends no e-mail/);
    expect(h.app.users.findByTelegramId(user.id)?.email ?? null).toBeNull();
  } finally {
    await h.stop();
  }
});
