/**
 * /email: a Telegram buyer's address for e-mail copies of receipts and support answers.
 * In process. What the deliver job does with `users.email` (a receipt copy on the
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

  test('a bad address is refused in the user language; nothing changes', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/email pas-une-adresse');
    await user.waitForMessage(
      "Ce n'est pas une adresse e-mail. Tapez-la après la commande, comme /email vous@exemple.fr.",
    );
    expect(emailOf(user.id)).toBeNull();
  });

  test("typing someone's address never makes their web purchases yours", async () => {
    // The address is not proven: it must not become the identity of the person who owns it.
    const attacker = h.fake.user();
    await attacker.send('/email victim@example.org');
    await attacker.waitForMessage(/Saved/);
    const webBuyer = h.app.users.upsertEmail('Victim@example.org');
    expect(webBuyer.telegramId).toBeNull();
    expect(webBuyer.id).not.toBe(h.app.users.findByTelegramId(attacker.id)!.id);
    // The e-mail buyer keeps one row across purchases, and another Telegram user may ask for copies there too.
    expect(h.app.users.upsertEmail('victim@example.org').id).toBe(webBuyer.id);
    const owner = h.fake.user();
    await owner.send('/email victim@example.org');
    await owner.waitForMessage(/Saved/);
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
