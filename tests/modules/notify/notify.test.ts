/**
 * The notify module against a real SMTP server (tests/fakes/smtp.ts: STARTTLS on a self-signed
 * certificate, AUTH) and the real durable queue on SQLite, on a fake clock: what is sent, in
 * which language, once per (purpose, reference, recipient), retried while the server refuses
 * for now, and the admin alerted once when a job goes dead or a circuit stays open.
 */
import { afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { Registry } from 'prom-client';
import { createMailer } from '../../../src/lib/mailer.ts';
import { createQueue } from '../../../src/lib/queue.ts';
import { BREAKER_ALERT_AFTER_MS, createNotify } from '../../../src/modules/notify/service.ts';
import { openStore } from '../../../src/store/database.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { startFakeSmtp, testCertificate, type FakeSmtp, type TestCertificate } from '../../fakes/smtp.ts';
import { fakeClock, SMTP_AUTH } from '../../support/app.ts';
import { silentLogger } from '../../support/env.ts';

let certificate: TestCertificate;
let smtp: FakeSmtp | undefined;
beforeAll(() => {
  certificate = testCertificate()!;
});
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});

async function fixture({ adminEmail = 'admin@techbot.test' }: { adminEmail?: string } = {}) {
  smtp = await startFakeSmtp({ mode: 'starttls', auth: SMTP_AUTH, certificate });
  const store = openStore(':memory:');
  migrate(store.db);
  const clock = fakeClock();
  const logger = silentLogger();
  const queue = createQueue({ db: store.db, clock, logger });
  const registry = new Registry();
  const mailer = createMailer({
    host: smtp.host,
    port: smtp.port,
    user: SMTP_AUTH.user,
    password: SMTP_AUTH.password,
    from: { name: 'TechBot Shop', address: 'shop@techbot.test' },
    tls: { ca: certificate.cert },
  });
  const notify = createNotify({ mailer, adminEmail, queue, clock, logger, registry });
  notify.registerJobs(queue);
  const jobs = () =>
    store.sqlite.query("SELECT status, attempts, unique_key FROM jobs WHERE kind = 'email' ORDER BY id").all() as {
      status: string;
      attempts: number;
      unique_key: string;
    }[];
  const metric = async (name: string) => await registry.getSingleMetricAsString(name);
  return { notify, queue, clock, jobs, metric, registry, smtp: smtp!, sqlite: store.sqlite };
}

describe('rendered e-mails', () => {
  test('a sale notice in French: subject, plain text and HTML parts, no image, from SMTP_FROM, over STARTTLS with AUTH', async () => {
    const f = await fixture();
    expect(
      f.notify.saleNotice({
        orderId: 'ORD-2612-AAAA2222',
        to: 'ada@example.com',
        lang: 'fr',
        title: 'Bitcoin <de zéro>',
        amount: '46,55 $US',
      }),
    ).toBe(true);
    await f.queue.runDue();
    const [mail] = f.smtp.messages;
    expect(mail!.secure).toBe(true);
    expect(mail!.user).toBe(SMTP_AUTH.user);
    expect(mail!.parsed.from?.value[0]).toMatchObject({ name: 'TechBot Shop', address: 'shop@techbot.test' });
    expect(mail!.parsed.subject).toBe('Vous avez vendu « Bitcoin <de zéro> »');
    expect(mail!.parsed.text).toContain('Votre part : 46,55 $US');
    expect(mail!.parsed.text).toContain('ORD-2612-AAAA2222');
    expect(mail!.parsed.html).toContain('<html lang="fr">');
    expect(mail!.parsed.html).toContain('Bitcoin &lt;de zéro&gt;');
    expect(mail!.parsed.html).not.toMatch(/<img|<script/i);
  });

  test("a support reply goes to the ticket's author, in English, with the admin's text and links made clickable", async () => {
    const f = await fixture();
    f.notify.supportReply({
      ticketId: 7,
      replyId: 1,
      to: 'bea@example.com',
      lang: 'en',
      reply: 'See https://shop.example.com/help',
    });
    await f.queue.runDue();
    const [mail] = f.smtp.messages;
    expect(mail!.envelope.to).toEqual(['bea@example.com']);
    expect(mail!.parsed.subject).toBe('Answer to your ticket #7');
    expect(mail!.parsed.text).toContain('See https://shop.example.com/help');
    expect(mail!.parsed.html).toContain('<a href="https://shop.example.com/help">');
  });

  test('nothing is queued without an address', async () => {
    const f = await fixture();
    expect(f.notify.saleNotice({ orderId: 'ORD-1', to: null, lang: 'en', title: 'T', amount: '$1' })).toBe(false);
    expect(f.jobs()).toEqual([]);
  });
});

describe('one e-mail per (purpose, reference, recipient), never lost', () => {
  test('the same sale notice queued twice is sent once', async () => {
    const f = await fixture();
    for (let i = 0; i < 2; i++)
      f.notify.saleNotice({
        orderId: 'ORD-2612-BBBB3333',
        to: 'ada@example.com',
        lang: 'en',
        title: 'T',
        amount: '$1',
      });
    await f.queue.runDue();
    await f.queue.runDue();
    expect(f.smtp.messages).toHaveLength(1);
    expect(f.jobs()).toEqual([
      { status: 'done', attempts: 1, unique_key: 'email:sale:ORD-2612-BBBB3333:ada@example.com' },
    ]);
  });

  test('a server answering 451 for now: retried after the backoff, sent once; counted by purpose and outcome', async () => {
    const f = await fixture();
    f.smtp.refuse('RCPT', 451, 'Try again later');
    f.notify.saleNotice({ orderId: 'ORD-2612-CCCC4444', to: 'ada@example.com', lang: 'en', title: 'T', amount: '$1' });
    await f.queue.runDue();
    expect(f.jobs()[0]).toMatchObject({ status: 'ready', attempts: 1 });
    expect(f.smtp.messages).toHaveLength(0);
    f.clock.advance(60_000);
    await f.queue.runDue();
    expect(f.jobs()[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect(f.smtp.messages).toHaveLength(1);
    const metric = await f.metric('emails_total');
    expect(metric).toContain('emails_total{purpose="sale",outcome="retry"} 1');
    expect(metric).toContain('emails_total{purpose="sale",outcome="sent"} 1');
    expect(await f.metric('smtp_up')).toContain('smtp_up 1');
    const promtool = Bun.which('promtool');
    if (promtool) {
      const check = Bun.spawnSync([promtool, 'check', 'metrics'], { stdin: Buffer.from(await f.registry.metrics()) });
      expect({ code: check.exitCode, output: check.stdout.toString() + check.stderr.toString() }).toEqual({
        code: 0,
        output: '',
      });
    }
  });
});

describe('the SMTP state', () => {
  test('down while the server is down, up again at the next watch once it is back, with no e-mail waiting', async () => {
    const f = await fixture();
    await f.notify.verify();
    expect(f.notify.state()).toBe('up');
    await f.smtp.stop();
    await f.notify.verify();
    expect(f.notify.state()).toBe('down');
    expect(await f.metric('smtp_up')).toContain('smtp_up 0');
    await f.notify.watch();
    expect(f.notify.state()).toBe('down');
    smtp = await startFakeSmtp({ mode: 'starttls', auth: SMTP_AUTH, certificate, port: f.smtp.port });
    await f.notify.watch();
    expect(f.notify.state()).toBe('up');
  });
});

describe('admin alerts', () => {
  test('an e-mail refused for good (550) goes dead and ADMIN_EMAIL gets exactly one alert', async () => {
    const f = await fixture();
    f.smtp.refuse('RCPT', 550, 'No such mailbox');
    f.notify.saleNotice({ orderId: 'ORD-2612-DDDD5555', to: 'gone@example.com', lang: 'en', title: 'T', amount: '$1' });
    await f.queue.runDue();
    await f.queue.runDue();
    expect(f.jobs().map((j) => j.status)).toEqual(['dead', 'done']);
    expect(f.smtp.messages).toHaveLength(1);
    const [alert] = f.smtp.messages;
    expect(alert!.envelope.to).toEqual(['admin@techbot.test']);
    expect(alert!.parsed.subject).toMatch(/^\[TechBot alert\] job email #\d+ is dead$/);
    expect(alert!.parsed.text).toContain('No such mailbox');
  });

  test('an alert that cannot be delivered does not alert about itself', async () => {
    const f = await fixture();
    f.smtp.refuse('RCPT', 550, 'No such mailbox', 5);
    f.notify.alert('test:1', 'something', 'detail');
    await f.queue.runDue();
    await f.queue.runDue();
    expect(f.jobs().map((j) => j.status)).toEqual(['dead']);
  });

  test('a circuit open for more than 5 minutes: one alert per incident, a new incident after it closed', async () => {
    const f = await fixture();
    let state = 'closed';
    f.notify.watchBreaker('nowpayments', () => state);
    const check = async () => {
      f.notify.checkBreakers();
      await f.queue.runDue();
    };
    await check();
    state = 'open';
    await check();
    f.clock.advance(BREAKER_ALERT_AFTER_MS - 1);
    await check();
    expect(f.smtp.messages).toHaveLength(0);
    for (let i = 0; i < 3; i++) {
      f.clock.advance(60_000);
      state = i % 2 ? 'open' : 'halfOpen';
      await check();
    }
    expect(f.smtp.messages).toHaveLength(1);
    expect(f.smtp.messages[0]!.parsed.subject).toBe('[TechBot alert] nowpayments circuit open for more than 5 minutes');
    state = 'closed';
    await check();
    state = 'open';
    await check();
    f.clock.advance(BREAKER_ALERT_AFTER_MS);
    await check();
    expect(f.smtp.messages).toHaveLength(2);
  });
});
