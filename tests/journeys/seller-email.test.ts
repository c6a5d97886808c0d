/**
 * E-mail codes on the whole app, with the fake Bot API over HTTP and a real SMTP server
 * (STARTTLS, AUTH): the code is read from the e-mail received. /sell verifies the seller's
 * e-mail (wrong code: tries left; expired: a new code; 5 wrong: skip, kept unverified); with a
 * verified e-mail, /payout's address change waits for the code; a payout request e-mails
 * ADMIN_EMAIL. The same on the HTTP API for a seller key.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { ReceivedMail } from '../fakes/smtp.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { registerSeller, sellerOfUser } from '../support/seller.ts';
import type { TelegramUser } from '../support/telegram-user.ts';

const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const SOL = '11111111111111111111111111111112';
const MINUTE = 60_000;

let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({ telegram: true, smtp: true, env: { PLATFORM_FEE_PERCENT: '10' } });
});
afterAll(() => h.stop());

/** The newest e-mail to `to` (whose subject matches `subject`) once there are `count` of them. */
async function mailTo(to: string, count = 1, subject = /./): Promise<ReceivedMail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = h.smtp.messages.filter((m) => m.envelope.to.includes(to) && subject.test(m.parsed.subject ?? ''));
    if (mails.length >= count) return mails.at(-1)!;
    // Wakes when the server accepts its next e-mail.
    const next = h.smtp.messages.length + 1;
    await h.smtp.waitForMessages(next, Math.max(1, deadline - Date.now())).catch(() => {
      throw new Error(`no e-mail #${count} to ${to}`);
    });
  }
}
const codeOf = (mail: ReceivedMail) => /\b(\d{6})\b/.exec(mail.parsed.text ?? '')![1]!;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const sellerOf = (user: TelegramUser) => sellerOfUser(h.app, user);

/** /sell up to the e-mail code, in English. */
async function onboardToCodeEn(user: TelegramUser, name: string, email: string) {
  await user.send('/sell');
  await user.waitForMessage(/What name/);
  await user.send(name);
  await user.waitForMessage(/Describe yourself/);
  await user.send('⏭ Skip');
  await user.waitForMessage(/Your e-mail address/);
  await user.send(email);
  await user.waitForMessage(new RegExp(`We sent a 6-digit code to ${email[0]}\\*\\*\\*@`));
}

/** /sell up to the e-mail code, in French. */
async function onboardToCode(user: TelegramUser, email: string) {
  await user.send('/sell');
  await user.waitForMessage(/Quel nom/);
  await user.send('Atelier Ada');
  await user.waitForMessage(/Présentez-vous/);
  await user.send('⏭ Passer');
  await user.waitForMessage(/Votre adresse e-mail/);
  await user.send(email);
  await user.waitForMessage(/Nous avons envoyé un code à 6 chiffres à \w\*\*\*@exemple\.fr/);
}

/** /payout -> "Change the payout address" -> the network's button -> the address. */
async function askChange(user: TelegramUser, label: string, address: string) {
  await user.send('/payout');
  await user.waitForMessage(/Payout/);
  await user.tap('✏️ Change the payout address');
  await user.waitForMessage(/network of your new payout address/);
  await user.send(label);
  await user.waitForMessage(/paste your/);
  await user.send(address);
}

async function finishOnboarding(user: TelegramUser) {
  await user.waitForMessage(/Choisissez le réseau/);
  await user.send('Bitcoin (BTC)');
  await user.waitForMessage(/Collez maintenant/);
  await user.send(BTC);
  await user.waitForMessage(/Bienvenue/);
}

describe('bot: e-mail verification by code (real SMTP)', () => {
  test('/sell: the code arrives by e-mail in French; a wrong one says the tries left; the right one verifies', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await onboardToCode(user, 'ada@exemple.fr');
    const mail = await mailTo('ada@exemple.fr');
    expect(mail.secure).toBe(true);
    expect(mail.parsed.subject).toBe(`Votre code TechBot : ${codeOf(mail)}`);
    expect(mail.parsed.text).toContain('Il est valable 10 minutes.');
    await user.send(wrong(codeOf(mail)));
    await user.waitForMessage('Ce code est faux. Il reste 4 essais.');
    await user.send(codeOf(mail));
    await user.waitForMessage('✅ Votre e-mail est vérifié.');
    await finishOnboarding(user);
    expect(sellerOf(user)).toMatchObject({ email: 'ada@exemple.fr' });
    expect(sellerOf(user)!.emailVerifiedAt).not.toBeNull();
  });

  test('/sell: after 10 minutes the code is expired; "Send a new code" e-mails another, which works', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await onboardToCode(user, 'bea@exemple.fr');
    const first = codeOf(await mailTo('bea@exemple.fr'));
    h.clock.advance(10 * MINUTE);
    await user.send(first);
    await user.waitForMessage(/Ce code a expiré/);
    await user.send('🔁 Envoyer un nouveau code');
    await user.waitForMessage(/Nous avons envoyé un code/);
    const second = codeOf(await mailTo('bea@exemple.fr', 2));
    await user.send(second);
    await user.waitForMessage('✅ Votre e-mail est vérifié.');
    await finishOnboarding(user);
    expect(sellerOf(user)!.emailVerifiedAt).not.toBeNull();
  });

  test('/sell: 5 wrong codes spend it; "Skip verification" keeps the e-mail unverified, and the bot says so', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await onboardToCode(user, 'cleo@exemple.fr');
    const code = codeOf(await mailTo('cleo@exemple.fr'));
    for (const left of ['Il reste 4 essais.', 'Il reste 3 essais.', 'Il reste 2 essais.', 'Il reste un essai.']) {
      await user.send(wrong(code));
      await user.waitForMessage(`Ce code est faux. ${left}`);
    }
    await user.send(wrong(code));
    await user.waitForMessage(/Trop de codes faux/);
    await user.send(code);
    await user.waitForMessage(/Trop de codes faux/);
    await user.send('⏭ Passer la vérification');
    await user.waitForMessage('Votre e-mail est conservé, mais il n’est pas vérifié.');
    await finishOnboarding(user);
    expect(sellerOf(user)).toMatchObject({ email: 'cleo@exemple.fr', emailVerifiedAt: null });
  });

  test('/payout with a verified e-mail: the new address waits for the e-mailed code; a payout request e-mails the admin', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await onboardToCodeEn(user, 'Dan Teaches', 'dan@example.org');
    await user.send(codeOf(await mailTo('dan@example.org')));
    await user.waitForMessage('✅ Your e-mail is verified.');
    await user.waitForMessage(/Choose the network/);
    await user.send('Bitcoin (BTC)');
    await user.waitForMessage(/paste your Bitcoin/);
    await user.send(BTC);
    await user.waitForMessage(/You are now a seller/);
    const seller = sellerOf(user)!;

    await askChange(user, 'Ethereum (ETH, USDT ERC-20)', ETH);
    await user.waitForMessage(/this change needs the code we e-mail you/);
    const mail = await mailTo('dan@example.org', 2);
    expect(mail.parsed.subject).toBe(`Confirm the change to your seller account: ${codeOf(mail)}`);
    expect(h.app.sellers.profiles.view(seller.id).payout_address).toBe(BTC);
    await user.send(wrong(codeOf(mail)));
    await user.waitForMessage('That code is wrong. 4 tries left.');
    await user.send(codeOf(mail));
    await user.waitForMessage(`✅ New payout address: ETH ${ETH}`);
    expect(h.app.sellers.profiles.view(seller.id)).toMatchObject({ payout_network: 'ETH', payout_address: ETH });

    // Cancel at the code: nothing changes.
    await askChange(user, 'Solana (SOL)', SOL);
    await user.waitForMessage(/We sent a 6-digit code/);
    await user.send('✖️ Cancel');
    await user.waitForMessage('Your payout address is unchanged.');
    expect(h.app.sellers.profiles.view(seller.id).payout_network).toBe('ETH');

    // A sale, then a payout request: the admin gets an e-mail.
    const product = h.app.sellers.publishCourse(seller.id, {
      title: 'Dan course',
      description: 'Things.',
      price_cents: 4900,
      category: 'business',
    });
    const buyer = h.app.users.upsertTelegram({ telegramId: user.id + 1_000_000, firstName: 'Bea' });
    const { order } = h.app.orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    await user.send('/payout');
    await user.waitForMessage(/Payout/);
    await user.tap('💸 Request $44.10');
    await user.waitForMessage(/Payout #\d+ of \$44\.10 requested/);
    const alert = await mailTo('admin@techbot.test', 1, /Payout #/);
    expect(alert.parsed.subject).toMatch(/^\[TechBot alert\] Payout #\d+ requested: 44\.10 USD for Dan Teaches$/);
    expect(alert.parsed.text).toContain(`to ETH ${ETH}`);
  }, 30_000);
});

describe('bot: when the code cannot be sent', () => {
  test('/sell: after 5 codes in the hour, "Send a new code" is refused and the e-mail is kept unverified', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await onboardToCodeEn(user, 'Gus Teaches', 'gus@example.org');
    for (let sent = 2; sent <= 5; sent++) {
      await user.send('🔁 Send a new code');
      await user.waitForMessage(/We sent a 6-digit code/);
      await mailTo('gus@example.org', sent);
    }
    await user.send('🔁 Send a new code');
    await user.waitForMessage('Too many codes were sent in the last hour. Please try again later.');
    await user.waitForMessage('Your e-mail is kept, but it is not verified.');
    await user.waitForMessage(/Choose the network/);
    expect(h.smtp.messages.filter((m) => m.envelope.to.includes('gus@example.org'))).toHaveLength(5);
  });

  test('/payout: the SMTP server refuses the code -> the bot says so and the address is unchanged; a new code then works', async () => {
    const user = h.fake.user({ language_code: 'en' });
    const seller = registerSeller(h.app, user, 'Hal Teaches');
    const verification = await h.app.sellers.profiles.update(seller.id, { email: 'hal@example.org' });
    expect(verification.verification?.purpose).toBe('verify-email');
    await h.app.sellers.profiles.confirm(seller.id, codeOf(await mailTo('hal@example.org')));

    h.smtp.refuse('RCPT', 550, 'mailbox unavailable');
    await askChange(user, 'Solana (SOL)', SOL);
    await user.waitForMessage('We could not send the e-mail just now. Please try again later.');
    expect(h.app.sellers.profiles.view(seller.id).payout_network).toBe('BTC');

    await askChange(user, 'Solana (SOL)', SOL);
    await user.waitForMessage(/We sent a 6-digit code to h\*\*\*@example\.org/);
    await user.send('🔁 Send a new code');
    await user.waitForMessage(/We sent a 6-digit code/);
    const mails = h.smtp.messages.filter((m) => m.envelope.to.includes('hal@example.org'));
    const [older, newest] = mails.slice(-2).map(codeOf);
    await user.send(older!);
    await user.waitForMessage(/That code is wrong/);
    await user.send(newest!);
    await user.waitForMessage(`✅ New payout address: SOL ${SOL}`);
  });
});

describe('HTTP: e-mail verification for a seller key (real SMTP)', () => {
  test('PATCH an e-mail -> code by e-mail -> verify; then a new address answers 202 until the code is sent', async () => {
    const { key, sellerId } = await h.sellerKey('Eve Academy');
    const patch = (body: unknown) => h.call('PATCH', '/api/seller/me', { key, body });
    const verify = (code: string) => h.call('POST', '/api/seller/me/email/verify', { key, body: { code } });

    const started = await patch({ email: 'eve@example.org', payout_network: 'BTC', payout_address: BTC });
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({
      email: 'eve@example.org',
      email_verified: false,
      payout_address: BTC,
      verification: { purpose: 'verify-email', sent_to: 'e***@example.org' },
    });
    const code = codeOf(await mailTo('eve@example.org'));
    const refused = await verify(wrong(code));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { details: unknown } }).error.details).toEqual({
      reason: 'wrong',
      tries_left: 4,
    });
    const verified = await verify(code);
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ email_verified: true, verification: null });

    const held = await patch({ payout_network: 'SOL', payout_address: SOL });
    expect(held.status).toBe(202);
    expect(await held.json()).toMatchObject({
      payout_network: 'BTC',
      verification: { purpose: 'confirm-change', sent_to: 'e***@example.org' },
    });
    const confirm = codeOf(await mailTo('eve@example.org', 2));
    h.clock.advance(10 * MINUTE);
    expect(((await (await verify(confirm)).json()) as { error: { details: unknown } }).error.details).toEqual({
      reason: 'expired',
      tries_left: 0,
    });
    expect((await patch({ payout_network: 'SOL', payout_address: SOL })).status).toBe(202);
    const applied = await verify(codeOf(await mailTo('eve@example.org', 3)));
    expect(await applied.json()).toMatchObject({ payout_network: 'SOL', payout_address: SOL });
    expect(h.app.sellers.profiles.view(sellerId).payout_address).toBe(SOL);
    // An address of the wrong network is refused outright (422), code or not.
    expect((await patch({ payout_network: 'BTC', payout_address: ETH })).status).toBe(422);
  });

  test('POST /api/seller/payouts e-mails the admin; a suspended seller gets a 403 naming the reason', async () => {
    const { key, sellerId } = await h.sellerKey('Fay Academy');
    await h.call('PATCH', '/api/seller/me', { key, body: { payout_network: 'BTC', payout_address: BTC } });
    const product = h.app.sellers.publishCourse(sellerId, {
      title: 'Fay course',
      description: 'Things.',
      price_cents: 4900,
      category: 'business',
    });
    const buyer = h.app.users.upsertTelegram({ telegramId: 990_001, firstName: 'Bea' });
    const { order } = h.app.orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    const payoutMails = / Payout #/;
    const before = h.smtp.messages.filter((m) => payoutMails.test(m.parsed.subject ?? '')).length;
    const requested = await h.call('POST', '/api/seller/payouts', { key, body: {} });
    expect(requested.status).toBe(201);
    const { id } = (await requested.json()) as { id: number };
    const alert = await mailTo('admin@techbot.test', before + 1, payoutMails);
    expect(alert.parsed.subject).toBe(`[TechBot alert] Payout #${id} requested: 44.10 USD for Fay Academy`);

    await h.app.admin.moderation.suspendSeller('admin:test', sellerId, true, 'Unpaid chargebacks');
    const refused = await h.call('POST', '/api/seller/payouts', { key, body: {} });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('Unpaid chargebacks');
    const publish = await h.call('POST', '/api/products', {
      key,
      body: {
        title: 'Another course',
        description: 'A course made for this test.',
        price_cents: 2500,
        category: 'business',
      },
    });
    expect(publish.status).toBe(403);
    expect(((await publish.json()) as { error: { message: string } }).error.message).toContain('Unpaid chargebacks');
    const me = (await (await h.call('GET', '/api/seller/me', { key })).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ status: 'suspended', suspended_reason: 'Unpaid chargebacks' });
  });
});
