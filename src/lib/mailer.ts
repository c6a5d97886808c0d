/**
 * Sends e-mail through one SMTP server with nodemailer, and says of every failure whether
 * trying again can help, so a queue retries only what is worth retrying.
 *
 * Transport security, by default from the port: 465 speaks TLS from the first byte (implicit
 * TLS); any other port (587, 25, ...) starts in plain text and upgrades with STARTTLS. With `requireTls`
 * (the default) nodemailer's `requireTLS` is set: STARTTLS is sent even when the server does not
 * advertise it, and no credentials or message travel unencrypted if the upgrade fails, which is
 * what defeats a man in the middle stripping STARTTLS from the EHLO answer. `requireTls: false`
 * is for a relay without TLS (a local MTA on port 25): nodemailer then still upgrades when
 * STARTTLS is offered and fails rather than continuing in plain text if that upgrade fails
 * (`opportunisticTLS` stays off).
 *
 * One connection per message, no pool: the volume is a few messages at a time, and a fresh
 * connection makes "server down" a plain connection failure instead of a stale pooled socket.
 */
import type nodemailer from 'nodemailer';
import { isPermanentResponseCode } from 'nodemailer/lib/errors.js';

export interface MailerOptions {
  host: string;
  port: number;
  /** AUTH credentials; without them no AUTH is attempted (a relay that trusts our address). */
  user?: string;
  password?: string;
  from: { address: string; name?: string };
  /** TLS from the first byte; default: port 465 does, other ports use STARTTLS. */
  implicitTls?: boolean;
  /** Default true: never talk to the server in plain text on a non-465 port (see the file comment). */
  requireTls?: boolean;
  /** Milliseconds: TCP connect, the server's first line, and silence on an open socket. */
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
  /** Extra trust and name checks, e.g. the CA of a test server's self-signed certificate. */
  tls?: { ca?: string | Buffer; servername?: string };
}

export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  /** The plain-text alternative, shown by clients that do not render HTML. */
  text: string;
  headers?: Record<string, string>;
}

export interface SentMail {
  /** The Message-ID header of the message the server accepted. */
  messageId: string;
  /** The server's final answer, e.g. "250 OK: queued as ...". */
  response: string;
}

export type MailerState = 'unknown' | 'up' | 'down';

export interface Mailer {
  /** Connects, upgrades, authenticates and disconnects: 'up' only if all of it worked. */
  verify(): Promise<{ state: 'up' } | { state: 'down'; error: MailError }>;
  /** Resolves once the server accepted the message; throws a MailError otherwise. */
  send(message: MailMessage): Promise<SentMail>;
  /** What the last verify or send showed about the server ('unknown' before the first). */
  state(): MailerState;
  close(): void;
}

/**
 * A failed send. `permanent`: sending the same message again will fail the same way (the server
 * answered 5xx, e.g. 535 credentials refused or 550 no such mailbox, or the message was refused
 * before sending); otherwise temporary (4xx answers, connection refused or dropped, timeouts,
 * TLS handshakes, DNS) and worth a later retry.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** nodemailer's error code (ECONNECTION, EAUTH, EENVELOPE, ...), or EINPUT for our own checks. */
    readonly code: string | undefined,
    /** The SMTP reply code when the server answered, e.g. 535, 550, 451. */
    readonly responseCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailError';
  }
}

/** Refused locally before any byte was sent; the same input would be refused again. */
const LOCAL_REFUSALS = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'ENOAUTH', 'EMAXRECIPIENTS', 'EINPUT']);
/** The server answered and refused this one message (sender, recipient or content): it is up. */
const MESSAGE_STAGE = new Set(['EENVELOPE', 'EMESSAGE']);

export function toMailError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const permanent =
    responseCode !== undefined ? isPermanentResponseCode(responseCode) : code !== undefined && LOCAL_REFUSALS.has(code);
  const message = typeof e.message === 'string' ? e.message : String(error);
  return new MailError(message, permanent, code, responseCode, { cause: error });
}

/** A CR or LF in a header would start a new header line (header injection). */
function checkHeaderValue(name: string, value: string): void {
  if (/[\r\n]/.test(value) || /[\r\n:]/.test(name)) {
    throw new MailError(`header ${JSON.stringify(name)} contains a line break`, true, 'EINPUT', undefined);
  }
}

export function createMailer(options: MailerOptions): Mailer {
  const implicitTls = options.implicitTls ?? options.port === 465;
  // Required here, not imported: without SMTP nothing loads nodemailer, whose ESM build pulls in
  // node:http, node:tls, node:child_process... at start-up.
  const { createTransport } = require('nodemailer') as typeof nodemailer;
  const transport = createTransport({
    host: options.host,
    port: options.port,
    secure: implicitTls,
    requireTLS: !implicitTls && (options.requireTls ?? true),
    auth: options.user !== undefined ? { user: options.user, pass: options.password ?? '' } : undefined,
    connectionTimeout: options.timeouts?.connectionMs ?? 10_000,
    greetingTimeout: options.timeouts?.greetingMs ?? 10_000,
    socketTimeout: options.timeouts?.socketMs ?? 30_000,
    tls: options.tls,
    // Nothing of the message or the credentials in logs.
    logger: false,
    debug: false,
  });
  let state: MailerState = 'unknown';
  const observe = (error: MailError) => {
    const refusedOneMessage =
      error.code !== undefined && MESSAGE_STAGE.has(error.code) && error.responseCode !== undefined;
    // 421 is the server closing the session ("service not available"), at whatever stage.
    state = refusedOneMessage && error.responseCode !== 421 ? 'up' : 'down';
  };

  return {
    async verify() {
      try {
        await transport.verify();
        state = 'up';
        return { state: 'up' };
      } catch (cause) {
        const error = toMailError(cause);
        state = 'down';
        return { state: 'down', error };
      }
    },
    async send(message) {
      checkHeaderValue('Subject', message.subject);
      checkHeaderValue('To', message.to);
      for (const [name, value] of Object.entries(message.headers ?? {})) checkHeaderValue(name, value);
      try {
        const info = await transport.sendMail({
          from: { name: options.from.name ?? '', address: options.from.address },
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: message.headers,
        });
        state = 'up';
        return { messageId: info.messageId, response: info.response };
      } catch (cause) {
        const error = toMailError(cause);
        observe(error);
        throw error;
      }
    },
    state: () => state,
    close: () => transport.close(),
  };
}
