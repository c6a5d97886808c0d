import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

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

/** Field names whose values are never logged, wherever they sit in a log object. */
const REDACTED_PATHS = [
  'token',
  'apiKey',
  'password',
  'secret',
  'ipnSecret',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.ipnSecret',
  '*.authorization',
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/** Query parameters that carry credentials (`token`, `upload_token`, `api_key`, `sig` ...), in any URL. */
const SECRET_PARAMS = /([?&][\w.-]*(?:token|key|secret|password|sig|signature)=)[^&#\s"\\]+/gi;
/** `Bearer <key>` or `Basic <credentials>` written out in a message. */
const CREDENTIALS = /\b(Bearer|Basic)\s+[^\s"\\,]+/gi;
/** A credential header as a JSON field at any depth (pino's paths only reach two levels). */
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
  destination?: pino.DestinationStream;
  /**
   * URL paths whose next segment is a credential (e.g. `/api/downloads` for
   * `/api/downloads/<token>`): that segment is scrubbed from every line.
   */
  secretPaths?: string[];
}

/**
 * JSON lines on stdout. Secrets are removed by field name (headers included) and, as a last
 * guard over each line, by value, by shape (credential query parameters such as `?token=`,
 * bearer keys) and by place (`secretPaths`), wherever a URL or header ends up in a line.
 */
export function createLogger({ level, secrets = [], destination, secretPaths = [] }: LoggerOptions): Logger {
  const scrub = scrubbers(
    secrets.filter((s) => s.length >= 4),
    secretPaths,
  );
  return pino(
    {
      level,
      base: { app: 'techbot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: {
        streamWrite: (line) => scrub.reduce((out, step) => step(out), line),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
