import { afterEach, describe, expect, test } from 'bun:test';
import net from 'node:net';
import { createMailer, MailError, type Mailer, type MailerOptions, type MailMessage } from '../../src/lib/mailer.ts';
import { startFakeSmtp, testCertificate, type FakeSmtp, type FakeSmtpOptions, type SmtpStage } from '../fakes/smtp.ts';

const certificate = testCertificate();
if (!certificate)
  console.warn('Mailer tests skipped: no `openssl` on PATH to make the test certificate (Debian package `openssl`).');

const auth = { user: 'shop@example.test', password: 's3cret-pass' };
const from = { name: 'Boutique Élodie', address: 'shop@example.test' };

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function server(options: Omit<FakeSmtpOptions, 'certificate'>): Promise<FakeSmtp> {
  const smtp = await startFakeSmtp({ ...options, certificate: certificate ?? undefined });
  cleanup.push(() => smtp.stop());
  return smtp;
}

function mailer(port: number, overrides: Partial<MailerOptions> = {}): Mailer {
  const m = createMailer({
    host: '127.0.0.1',
    port,
    ...auth,
    from,
    tls: { ca: certificate?.cert, servername: 'localhost' },
    timeouts: { connectionMs: 2_000, greetingMs: 2_000, socketMs: 5_000 },
    ...overrides,
  });
  cleanup.push(() => m.close());
  return m;
}

const receipt: MailMessage = {
  to: 'acheteur@example.test',
  subject: 'Votre reçu — commande à télécharger',
  html: '<p>Merci pour votre achat, <b>Hélène</b> ! <a href="https://shop.example.test/d/abc">Télécharger</a></p>',
  text: 'Merci pour votre achat, Hélène ! Télécharger : https://shop.example.test/d/abc',
  headers: { 'X-Order-Id': 'ord_123' },
};

/** The MailError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<MailError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailError);
  return error as MailError;
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe.skipIf(!certificate)('mailer against a real SMTP server', () => {
  test('STARTTLS + AUTH: the message arrives encrypted, with both parts, the display name and the accents', async () => {
    const smtp = await server({ mode: 'starttls', auth });
    const m = mailer(smtp.port);
    expect(m.state()).toBe('unknown');
    expect(await m.verify()).toEqual({ state: 'up' });

    const sent = await m.send(receipt);
    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    expect(sent.response).toStartWith('250');
    expect(m.state()).toBe('up');

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail!.secure).toBe(true);
    expect(mail!.user).toBe(auth.user);
    expect(mail!.envelope).toEqual({ from: from.address, to: ['acheteur@example.test'] });
    const parsed = mail!.parsed;
    expect(parsed.messageId).toBe(sent.messageId);
    expect(parsed.subject).toBe(receipt.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Boutique Élodie', address: 'shop@example.test' }]);
    expect(parsed.html).toContain('<b>Hélène</b>');
    expect(parsed.html).toContain('href="https://shop.example.test/d/abc"');
    expect(parsed.text?.trim()).toBe(receipt.text);
    expect(parsed.headers.get('x-order-id')).toBe('ord_123');
    expect(mail!.raw).toMatch(/Content-Type: multipart\/alternative/i);
  });

  test('implicit TLS (the 465 way) on any port when asked', async () => {
    const smtp = await server({ mode: 'implicit', auth });
    const m = mailer(smtp.port, { implicitTls: true });
    expect(await m.verify()).toEqual({ state: 'up' });
    await m.send(receipt);
    expect(smtp.messages[0]!.secure).toBe(true);
    expect(smtp.messages[0]!.parsed.subject).toBe(receipt.subject);
  });

  test('port 465 means implicit TLS without being told', async () => {
    const smtp = await startFakeSmtp({ mode: 'implicit', auth, certificate: certificate!, port: 465 }).catch(
      (e: unknown) => e,
    );
    if (smtp instanceof Error)
      return console.warn(`port 465 test skipped: cannot listen on 127.0.0.1:465 (${smtp.message})`);
    cleanup.push(() => (smtp as FakeSmtp).stop());
    await mailer(465).send(receipt);
    expect((smtp as FakeSmtp).messages).toHaveLength(1);
  });

  test('refused credentials are a permanent failure and the server is down for us', async () => {
    const smtp = await server({ mode: 'starttls', auth });
    const m = mailer(smtp.port, { password: 'wrong' });
    const verified = await m.verify();
    expect(verified.state).toBe('down');
    const error = await failure(m.send(receipt));
    expect(error).toMatchObject({ permanent: true, code: 'EAUTH', responseCode: 535 });
    expect(m.state()).toBe('down');
    expect(smtp.messages).toHaveLength(0);
  });

  test('a server that is down is a temporary failure; once it is back the same message goes out', async () => {
    const port = await closedPort();
    const m = mailer(port);
    const verified = await m.verify();
    expect(verified.state).toBe('down');
    if (verified.state === 'down') expect(verified.error.permanent).toBe(false);
    const error = await failure(m.send(receipt));
    expect(error.permanent).toBe(false);
    expect(error.responseCode).toBeUndefined();

    const smtp = await server({ mode: 'starttls', auth, port });
    const sending = m.send(receipt); // as a queue worker would, not awaited by the test
    const [mail] = await smtp.waitForMessages(1);
    expect(mail!.parsed.subject).toBe(receipt.subject);
    await sending;
    expect(m.state()).toBe('up');
    expect(smtp.messages).toHaveLength(1);
  });

  test('a server that accepts the connection but never greets times out, temporarily', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => silent.close());
    const m = mailer((silent.address() as net.AddressInfo).port, { timeouts: { greetingMs: 200 } });
    const error = await failure(m.send(receipt));
    expect(error).toMatchObject({ permanent: false, code: 'ETIMEDOUT' });
  });

  const refusals: Array<[SmtpStage, number, boolean]> = [
    ['RCPT', 550, true], // no such mailbox
    ['MAIL', 553, true], // sender not allowed
    ['DATA', 451, false], // greylisting, full queue
    ['RCPT', 452, false], // too many recipients for now
  ];
  test.each(refusals)(
    '%s refused with %d: permanent=%p, the server stays up, and a new send goes out once',
    async (stage, code, permanent) => {
      const smtp = await server({ mode: 'starttls', auth });
      const m = mailer(smtp.port);
      smtp.refuse(stage, code, 'Refused by the test');
      const error = await failure(m.send(receipt));
      expect(error).toMatchObject({ permanent, responseCode: code });
      expect(m.state()).toBe('up');
      expect(smtp.messages).toHaveLength(0);
      await m.send(receipt);
      expect(smtp.messages).toHaveLength(1);
    },
  );

  test('a certificate the client does not trust: nothing is sent, temporary (the operator can fix it)', async () => {
    const smtp = await server({ mode: 'starttls', auth });
    const m = mailer(smtp.port, { tls: {} });
    const error = await failure(m.send(receipt));
    expect(error.permanent).toBe(false);
    expect(smtp.messages).toHaveLength(0);
  });

  test('STARTTLS is required by default: a server without it gets neither password nor message', async () => {
    const smtp = await server({ mode: 'plain', auth });
    const error = await failure(mailer(smtp.port).send(receipt));
    expect(error).toMatchObject({ code: 'ETLS', responseCode: 500, permanent: true });
    expect(smtp.messages).toHaveLength(0);

    // A local relay without TLS, accepted only when said so.
    await mailer(smtp.port, { requireTls: false }).send(receipt);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.secure).toBe(false);
  });

  test('without credentials no AUTH is attempted', async () => {
    const smtp = await server({ mode: 'starttls' });
    await mailer(smtp.port, { user: undefined, password: undefined }).send(receipt);
    expect(smtp.messages[0]!.user).toBeUndefined();
  });

  test('a line break in the subject, a header or the recipient is refused before connecting', async () => {
    const smtp = await server({ mode: 'starttls', auth });
    const m = mailer(smtp.port);
    for (const bad of [
      { ...receipt, subject: 'Reçu\r\nBcc: victim@example.test' },
      { ...receipt, to: 'a@example.test\nBcc: victim@example.test' },
      { ...receipt, headers: { 'X-Note': 'ok\r\nBcc: victim@example.test' } },
    ]) {
      const error = await failure(m.send(bad));
      expect(error).toMatchObject({ permanent: true, code: 'EINPUT' });
    }
    expect(smtp.messages).toHaveLength(0);
    expect(m.state()).toBe('unknown');
  });
});
