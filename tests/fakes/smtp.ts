/**
 * A real SMTP server on 127.0.0.1 for tests (the `smtp-server` package, in-process), with the
 * messages it accepted parsed back by `mailparser`. It speaks real STARTTLS or implicit TLS on a
 * self-signed certificate made by `openssl` at test time, checks AUTH, and can be told to refuse
 * the next commands with a given reply, or be stopped and started again on the same port (a
 * server down for a while).
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

export interface TestCertificate {
  key: string;
  /** PEM; also the CA a client must trust (it signed itself). */
  cert: string;
}

let certificate: TestCertificate | null | undefined;

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, made once per test process; null when
 * `openssl` is not on PATH (callers skip with a printed reason).
 */
export function testCertificate(): TestCertificate | null {
  if (certificate !== undefined) return certificate;
  if (!Bun.which('openssl')) return (certificate = null);
  const dir = mkdtempSync(join(tmpdir(), 'techbot-smtp-cert-'));
  try {
    const made = Bun.spawnSync(
      [
        'openssl',
        'req',
        '-x509',
        '-newkey',
        // P-256: made in milliseconds where RSA 2048 takes a tenth of a second, and a cheaper handshake.
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdout: 'ignore', stderr: 'pipe' },
    );
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    certificate = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The session was encrypted when the message went through (implicit TLS or after STARTTLS). */
  secure: boolean;
  /** The AUTH user, when the client authenticated. */
  user: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

export interface FakeSmtpOptions {
  /** 'starttls': plain text, STARTTLS offered (like 587); 'implicit': TLS from the start (like 465); 'plain': no TLS at all. */
  mode: 'starttls' | 'implicit' | 'plain';
  /** Required AUTH credentials; without them AUTH is not needed. */
  auth?: { user: string; password: string };
  /** 0 (default) picks a free port; a previous server's port restarts it there. */
  port?: number;
  certificate?: TestCertificate;
}

export type SmtpStage = 'MAIL' | 'RCPT' | 'DATA';

export interface FakeSmtp {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Resolves once `count` messages in all have arrived (for senders the test does not await, like a queue). */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** The next `count` commands at `stage` are answered with `code message` (e.g. 451 or 550). */
  refuse(stage: SmtpStage, code: number, message: string, count?: number): void;
  stop(): Promise<void>;
}

/**
 * smtp-server holds its greeting back 100 ms to catch clients that talk first (a spam check);
 * submission servers greet at once, and the app opens one connection per e-mail, so this one
 * greets as soon as the connection is set up. The rest of the session is smtp-server's own.
 */
class PromptConnection extends SMTPConnection {
  override init(): void {
    this._setListeners(() => this.connectionReady());
  }
}

const replyError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startFakeSmtp(options: FakeSmtpOptions): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const refusals: Array<{ stage: SmtpStage; code: number; message: string; left: number }> = [];
  const refusal = (stage: SmtpStage) => {
    const r = refusals.find((x) => x.stage === stage && x.left > 0);
    if (!r) return null;
    r.left--;
    return replyError(r.code, r.message);
  };
  if (options.mode !== 'plain' && !options.certificate) throw new Error(`${options.mode} needs a certificate`);

  const settings: SMTPServerOptions = {
    secure: options.mode === 'implicit',
    ...(options.mode === 'plain'
      ? { disabledCommands: ['STARTTLS'] }
      : { key: options.certificate!.key, cert: options.certificate!.cert }),
    authOptional: !options.auth,
    // A test server on 127.0.0.1 with mode 'plain' still checks AUTH when asked to.
    allowInsecureAuth: options.mode === 'plain',
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    // The client is always 127.0.0.1: no reverse DNS lookup of it.
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const ok = options.auth && auth.username === options.auth.user && auth.password === options.auth.password;
      if (ok) callback(null, { user: auth.username });
      else callback(replyError(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address, _session, callback) {
      callback(refusal('MAIL'));
    },
    onRcptTo(_address, _session, callback) {
      callback(refusal('RCPT'));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refused = refusal('DATA');
        if (refused) return callback(refused);
        const raw = Buffer.concat(chunks).toString('utf8');
        // Parsed before the 250 goes out: once the client's send resolves, the message is here.
        simpleParser(raw).then((parsed) => {
          const from = session.envelope.mailFrom;
          messages.push({
            envelope: { from: from ? from.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
            secure: session.secure,
            user: typeof session.user === 'string' ? session.user : undefined,
            raw,
            parsed,
          });
          for (const wake of waiters) wake();
          callback();
        }, callback);
      });
    },
  };
  const server = new SMTPServer(settings);
  server.connect = (socket, socketOptions) => {
    // As SMTPServer.connect does, with a connection that greets at once (see PromptConnection).
    const connection = new PromptConnection(server, socket, socketOptions);
    server.connections.add(connection);
    connection.on('error', (err) => server._onError(err));
    connection.on('connect', (data) => server._onClientConnect(data));
    connection.init();
  };
  // Without an 'error' listener, a client aborting a TLS handshake (e.g. it distrusts the
  // certificate) would throw out of the server and end the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('fake SMTP server has no port');

  return {
    host: '127.0.0.1',
    port: address.port,
    messages,
    waitForMessages(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake SMTP: ${messages.length} message(s) after ${timeoutMs} ms, waited for ${count}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    refuse(stage, code, message, count = 1) {
      refusals.push({ stage, code, message, left: count });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
