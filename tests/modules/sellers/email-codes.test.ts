/**
 * E-mail codes of the sellers module: 6 digits, 10 minutes, 5 tries, a salted hash stored; an
 * onboarding code that makes the new seller's e-mail verified; a new e-mail unverified until
 * its code; with a verified e-mail, a new payout address or e-mail held until the code sent
 * there; the admin's e-mail on a payout request. The notify module is replaced by a recorder.
 */
import { describe, expect, test } from 'bun:test';
import type { TextArgs } from '../../../src/locales/index.ts';
import { renderEmail } from '../../../src/modules/notify/render.ts';
import type { SellersModuleDeps } from '../../../src/modules/sellers/index.ts';
import { BTC_ADDRESS, ETH_ADDRESS, sellersFixture } from './fixture.ts';

const LTC_ADDRESS = 'LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9';

interface Sent {
  purpose: string;
  to: string;
  lang: string;
  code: string;
  args: TextArgs;
}

function withMail() {
  const sent: Sent[] = [];
  const alerts: { incident: string; title: string; detail: string }[] = [];
  const notify: SellersModuleDeps['notify'] = {
    enabled: true,
    sendNow: async ({ purpose, to, lang, args }) => {
      sent.push({ purpose, to, lang, code: String(args.code), args });
      return { messageId: `<${sent.length}@test>` } as Awaited<ReturnType<SellersModuleDeps['notify']['sendNow']>>;
    },
    alert: (incident, title, detail) => {
      alerts.push({ incident, title, detail });
      return true;
    },
  };
  const f = sellersFixture(undefined, notify);
  const lastCode = () => sent.at(-1)!.code;
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  return { ...f, sent, alerts, lastCode, wrong };
}

describe('e-mail codes', () => {
  test('onboarding: a 6-digit code e-mailed in the language asked, stored hashed; typed right, the new seller is verified', async () => {
    const f = withMail();
    const userId = f.user().id;
    const sent = await f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'fr');
    expect(sent).toMatchObject({ purpose: 'verify-email', sent_to: 'a***@example.org' });
    expect(Date.parse(sent.expires_at) - f.clock.now()).toBe(10 * 60_000);
    expect(f.sent).toMatchObject([{ purpose: 'verify-code', to: 'ada@example.org', lang: 'fr', code: f.lastCode() }]);
    expect(f.lastCode()).toMatch(/^\d{6}$/);
    const stored = JSON.stringify(f.store.sqlite.query('SELECT * FROM email_codes').all());
    expect(stored).not.toContain(f.lastCode());

    expect(f.sellers.profiles.checkOnboardingCode(userId, f.wrong(f.lastCode()))).toEqual({
      ok: false,
      reason: 'wrong',
      triesLeft: 4,
    });
    expect(f.sellers.profiles.checkOnboardingCode(userId, ` ${f.lastCode()} `).ok).toBe(true);
    const seller = f.sellers.profiles.register(userId, {
      display_name: 'Ada',
      email: 'ADA@example.org',
      payout_network: 'BTC',
      payout_address: BTC_ADDRESS,
    });
    expect(seller).toMatchObject({ email: 'ada@example.org', email_verified: true });
    // Another user typing nothing gets an unverified e-mail.
    const other = f.sellers.profiles.register(f.user().id, {
      display_name: 'Bob',
      email: 'ada@example.org',
      payout_network: 'BTC',
      payout_address: BTC_ADDRESS,
    });
    expect(other.email_verified).toBe(false);
  });

  test('5 wrong codes spend the code; after 10 minutes it is expired; a new code replaces the old one', async () => {
    const f = withMail();
    const userId = f.user().id;
    await f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'en');
    const code = f.lastCode();
    for (const left of [4, 3, 2, 1])
      expect(f.sellers.profiles.checkOnboardingCode(userId, f.wrong(code))).toMatchObject({ triesLeft: left });
    expect(f.sellers.profiles.checkOnboardingCode(userId, f.wrong(code))).toEqual({ ok: false, reason: 'exhausted' });
    expect(f.sellers.profiles.checkOnboardingCode(userId, code)).toEqual({ ok: false, reason: 'exhausted' });

    await f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'en');
    const second = f.lastCode();
    f.clock.advance(10 * 60_000);
    expect(f.sellers.profiles.checkOnboardingCode(userId, second)).toEqual({ ok: false, reason: 'expired' });

    await f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'en');
    const third = f.lastCode();
    f.clock.advance(9 * 60_000);
    expect(f.sellers.profiles.checkOnboardingCode(userId, third).ok).toBe(true);
    expect(f.sellers.profiles.checkOnboardingCode(userId, third)).toEqual({ ok: false, reason: 'none' });
  });

  test('at most 5 codes an hour for one person', async () => {
    const f = withMail();
    const userId = f.user().id;
    for (let i = 0; i < 5; i++) await f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'en');
    expect(f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'en')).rejects.toThrow(/too many codes/);
    f.clock.advance(60 * 60_000);
    expect((await f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'en')).purpose).toBe('verify-email');
  });

  test('a new e-mail is stored unverified and gets a code; typing it verifies the e-mail', async () => {
    const f = withMail();
    const seller = f.onboard();
    const change = await f.sellers.profiles.update(seller.id, { email: 'sam@example.org' });
    expect(change).toMatchObject({
      status: 'applied',
      seller: { email: 'sam@example.org', email_verified: false },
      verification: { purpose: 'verify-email', sent_to: 's***@example.org' },
    });
    expect(f.sent.at(-1)).toMatchObject({ purpose: 'verify-code', to: 'sam@example.org', lang: 'en' });
    expect(await f.sellers.profiles.confirm(seller.id, f.wrong(f.lastCode()))).toMatchObject({ reason: 'wrong' });
    const confirmed = await f.sellers.profiles.confirm(seller.id, f.lastCode());
    expect(confirmed.ok && confirmed.change.seller.email_verified).toBe(true);
  });

  test('with a verified e-mail, a new payout address waits for the code sent to that e-mail', async () => {
    const f = withMail();
    const seller = f.onboard();
    await f.sellers.profiles.update(seller.id, { email: 'sam@example.org' });
    await f.sellers.profiles.confirm(seller.id, f.lastCode());

    const held = await f.sellers.profiles.update(seller.id, { payout_network: 'ETH', payout_address: ETH_ADDRESS });
    expect(held).toMatchObject({
      status: 'held',
      seller: { payout_network: 'BTC', payout_address: BTC_ADDRESS },
      verification: { purpose: 'confirm-change', sent_to: 's***@example.org' },
    });
    expect(f.sent.at(-1)).toMatchObject({ purpose: 'change-code', to: 'sam@example.org' });
    expect(f.sellers.profiles.view(seller.id).payout_address).toBe(BTC_ADDRESS);
    const confirmed = await f.sellers.profiles.confirm(seller.id, f.lastCode());
    expect(confirmed.ok && confirmed.change.seller).toMatchObject({
      payout_network: 'ETH',
      payout_address: ETH_ADDRESS,
    });

    // The same address again is no change: applied at once. A name change never waits.
    expect(
      (await f.sellers.profiles.update(seller.id, { payout_network: 'ETH', payout_address: ETH_ADDRESS })).status,
    ).toBe('applied');
    expect((await f.sellers.profiles.update(seller.id, { display_name: 'Sam Again' })).status).toBe('applied');

    // A new e-mail waits too (else it would open the way to the address); confirmed, the new one gets its own code.
    const email = await f.sellers.profiles.update(seller.id, { email: 'thief@example.org' });
    expect(email).toMatchObject({ status: 'held', verification: { sent_to: 's***@example.org' } });
    const applied = await f.sellers.profiles.confirm(seller.id, f.lastCode());
    expect(applied.ok && applied.change).toMatchObject({
      seller: { email: 'thief@example.org', email_verified: false },
      verification: { purpose: 'verify-email', sent_to: 't***@example.org' },
    });
  });

  test('the e-mail with a change code shows the change it confirms, so a racing change by a key holder is seen', async () => {
    const f = withMail();
    const seller = f.onboard();
    await f.sellers.profiles.update(seller.id, { email: 'sam@example.org' });
    await f.sellers.profiles.confirm(seller.id, f.lastCode());
    const text = (lang: 'en' | 'fr') => {
      const { purpose, args } = f.sent.at(-1)!;
      return renderEmail(lang, purpose as 'change-code', args).text;
    };

    await f.sellers.profiles.update(seller.id, { payout_network: 'LTC', payout_address: LTC_ADDRESS });
    expect(text('en')).toContain(`New payout address: LTC ${LTC_ADDRESS}`);
    expect(text('fr')).toContain(`Nouvelle adresse de paiement : LTC ${LTC_ADDRESS}`);
    // Someone else holding the key asks for their own address just after: the newest e-mail shows theirs.
    await f.sellers.profiles.update(seller.id, { payout_network: 'ETH', payout_address: ETH_ADDRESS });
    expect(text('en')).toContain(`New payout address: ETH ${ETH_ADDRESS}`);
    expect(text('en')).not.toContain(LTC_ADDRESS);

    await f.sellers.profiles.update(seller.id, { email: 'thief@example.org' });
    expect(text('en')).toContain('New e-mail: thief@example.org');
    expect(text('fr')).toContain('Nouvel e-mail : thief@example.org');
    await f.sellers.profiles.update(seller.id, {
      email: 'thief@example.org',
      payout_network: 'ETH',
      payout_address: ETH_ADDRESS,
    });
    expect(text('en')).toContain(`New payout address: ETH ${ETH_ADDRESS}; new e-mail: thief@example.org`);
  });

  test('without SMTP: a new e-mail is kept unverified, an address change is applied at once', async () => {
    const f = sellersFixture();
    const seller = f.onboard();
    expect(await f.sellers.profiles.update(seller.id, { email: 'sam@example.org' })).toMatchObject({
      status: 'applied',
      seller: { email_verified: false },
      verification: null,
    });
    expect(
      (await f.sellers.profiles.update(seller.id, { payout_network: 'LTC', payout_address: LTC_ADDRESS })).seller,
    ).toMatchObject({ payout_network: 'LTC' });
    expect(f.sellers.profiles.canVerifyEmail()).toBe(false);
  });

  test('a payout request e-mails the admin once, with the amount and the address', async () => {
    const f = withMail();
    const seller = f.onboard();
    f.sell(seller.id, 5000);
    const payout = f.sellers.payouts.request(seller.id);
    expect(f.alerts).toEqual([
      {
        incident: `payout:${payout.id}`,
        title: `Payout #${payout.id} requested: 45.00 USD for Sam Teaches`,
        detail: expect.stringContaining(`asks for 45.00 USD to BTC ${BTC_ADDRESS}`),
      },
    ]);
  });

  test('a code the SMTP server refuses: 503-like refusal, and the code can never be typed', async () => {
    const f = sellersFixture(undefined, {
      enabled: true,
      sendNow: () => Promise.reject(new Error('550 mailbox unavailable')),
      alert: () => false,
    });
    const userId = f.user().id;
    const refused = await f.sellers.profiles.sendOnboardingCode(userId, 'ada@example.org', 'en').catch((e) => e);
    expect(refused).toMatchObject({ code: 'unavailable' });
    // The mail server's words are for the log, not for the client.
    expect(refused.details).toEqual({ reason: 'email_not_sent' });
    expect(f.sellers.profiles.checkOnboardingCode(userId, '000000')).toEqual({ ok: false, reason: 'exhausted' });
    // A profile change that needed the code changes nothing.
    const seller = f.onboard();
    await expect(f.sellers.profiles.update(seller.id, { email: 'sam@example.org' })).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(f.sellers.profiles.view(seller.id).email).toBeNull();
  });
});
