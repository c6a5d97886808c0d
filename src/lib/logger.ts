import { writeSync } from 'node:fs';

/**
 * JSON lines in pino's shape as we configured it (`level` 10-60, `time` in ms, `app`, the child's
 * bindings, the fields, `msg`), written by a logger of our own: pino cost ~20 ms of CPU and ~7 MB
 * of RSS at each start of the binary (its worker-thread transports, which we never used, included),
 * for the few calls below.
 */
export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type Level = keyof typeof LEVELS;
export type LevelWithSilent = Level | 'silent';

/** `log.info({ orderId }, 'paid')`, `log.warn('retrying')`, `log.error({ err }, 'failed')`. */
export type LogFn = (fieldsOrMessage: object | string, message?: string) => void;

export interface Logger extends Record<Level, LogFn> {
  readonly level: LevelWithSilent;
  /** A logger whose lines carry `bindings` too (e.g. `{ component: 'notify' }`). */
  child(bindings: Record<string, unknown>): Logger;
}

/** Where lines go: stdout (synchronously: a line logged just before an exit is not lost) unless told. */
export interface LogDestination {
  write(line: string): unknown;
}

/** Headers that carry credentials (lower case, as Fetch and Node give them). */
const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-upload-token',
  'x-nowpayments-sig',
  'x-telegram-bot-api-secret-token',
];

/** Field names whose values are never logged, at any depth of a log object (credential headers included). */
const REDACTED_FIELDS = new Set(['token', 'apiKey', 'password', 'secret', 'ipnSecret', ...SECRET_HEADERS]);

/** Query parameters that carry credentials (`token`, `upload_token`, `api_key`, `sig` ...), in any URL. */
const SECRET_PARAMS = /([?&][\w.-]*(?:token|key|secret|password|sig|signature)=)[^&#\s"\\]+/gi;
/** `Bearer <key>` or `Basic <credentials>` written out in a message. */
const CREDENTIALS = /\b(Bearer|Basic)\s+[^\s"\\,]+/gi;
/** A credential header as a JSON field at any depth, however it got there (e.g. inside a string of JSON). */
const HEADER_FIELDS = new RegExp(`("(?:${SECRET_HEADERS.join('|')})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, 'gi');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text scrubbers applied to every line, last guard after the field-name redaction. */
function scrubbers(secrets: string[], secretPaths: string[]): ((line: string) => string)[] {
  const paths = secretPaths.map(
    (prefix) => new RegExp(`(${escapeRegExp(prefix.replace(/\/+$/, ''))}/)[^/?#\\s"\\\\]+`, 'g'),
  );
  return [
    (line) =>
      line
        .replace(HEADER_FIELDS, '$1[redacted]"')
        .replace(SECRET_PARAMS, '$1[redacted]')
        .replace(CREDENTIALS, '$1 [redacted]'),
    (line) => paths.reduce((out, path) => out.replace(path, '$1[redacted]'), line),
    (line) => secrets.reduce((out, secret) => out.replaceAll(secret, '[redacted]'), line),
  ];
}

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Secret values scrubbed from every line, e.g. a bot token inside an error's URL. */
  secrets?: string[];
  destination?: LogDestination;
  /**
   * URL paths whose next segment is a credential (e.g. `/api/downloads` for
   * `/api/downloads/<token>`): that segment is scrubbed from every line.
   */
  secretPaths?: string[];
}

/** An error as its type, message, stack and own fields (JSON.stringify alone would write `{}`), its cause too. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) fields[key] = value;
  if (error.cause !== undefined) fields.cause = error.cause;
  return fields;
}

/** Field-name redaction, errors written out, bigints as text, a circular reference named instead of throwing. */
function replacer(): (this: unknown, key: string, value: unknown) => unknown {
  // The objects being written, outermost first: one met again among them is a cycle.
  const ancestors: unknown[] = [];
  return function (this: unknown, key, value) {
    if (key !== '' && REDACTED_FIELDS.has(key) && value !== undefined) return '[redacted]';
    if (typeof value === 'bigint') return value.toString();
    if (value === null || typeof value !== 'object') return value;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    const written = value instanceof Error ? errorFields(value) : value;
    ancestors.push(written);
    return written;
  };
}

/**
 * Writes `line` whole to `fd`, synchronously (a line logged just before an exit is not lost): a
 * pipe may take part of it, or none while it is full (EAGAIN: wait a millisecond, as the log
 * reader drains it). A line that cannot be written at all (stdout closed) is dropped: logging
 * must never fail the request or job that logs.
 */
export function writeLine(fd: number, line: string, write: typeof writeSync = writeSync): void {
  let rest = Buffer.from(line);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(write(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      Bun.sleepSync(1);
    }
  }
}

const stdout: LogDestination = { write: (line) => writeLine(1, line) };

/**
 * JSON lines on stdout. Secrets are removed by field name (headers included) and, as a last
 * guard over each line, by value, by shape (credential query parameters such as `?token=`,
 * bearer keys) and by place (`secretPaths`), wherever a URL or header ends up in a line.
 */
export function createLogger({ level, secrets = [], destination = stdout, secretPaths = [] }: LoggerOptions): Logger {
  const scrub = scrubbers(
    secrets.filter((s) => s.length >= 4),
    secretPaths,
  );
  const threshold = level === 'silent' ? Number.POSITIVE_INFINITY : LEVELS[level];

  function make(bindings: Record<string, unknown>): Logger {
    const write = (name: Level) => {
      const value = LEVELS[name];
      if (value < threshold) return () => {};
      return (fieldsOrMessage: object | string, message?: string) => {
        const fields = typeof fieldsOrMessage === 'string' ? {} : fieldsOrMessage;
        const msg = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message;
        const entry = { level: value, time: Date.now(), app: 'techbot', ...bindings, ...fields, msg };
        const line = `${JSON.stringify(entry, replacer())}\n`;
        destination.write(scrub.reduce((out, step) => step(out), line));
      };
    };
    return {
      level,
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      fatal: write('fatal'),
      child: (more) => make({ ...bindings, ...more }),
    };
  }
  return make({});
}
