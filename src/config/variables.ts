import { Type as t, type TLiteral, type TSchema } from '@sinclair/typebox';
import { parseAddressRanges } from '../lib/trusted-proxies.ts';

/**
 * Every environment variable the marketplace reads. This table is the single source for
 * validation, for `.env.example` and for the README's configuration table (a test keeps
 * both documents in step with it).
 */
export interface Variable<S extends TSchema = TSchema> {
  schema: S;
  /** Default as the raw string a user would write in `.env`; absent = optional, unset. */
  default?: string;
  /** What a valid value looks like, shown when the value is rejected. */
  expect: string;
  doc: string;
  /** Secret values never appear in any output. */
  secret?: boolean;
  /** A check the schema cannot express, on the trimmed raw value. */
  valid?: (raw: string) => boolean;
}

const v = <S extends TSchema, const P extends Omit<Variable<S>, 'schema'>>(schema: S, spec: P) => ({
  schema,
  ...spec,
});

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (minimum: number, maximum: number) => t.Integer({ minimum, maximum });
const httpUrl = t.String({ pattern: '^https?://[^\\s/$.?#][^\\s]*$' });
const nonEmpty = t.String({ minLength: 1 });
const bool = t.Boolean();

export const variables = {
  TELEGRAM_TOKEN: v(t.String({ pattern: '^\\d+:[A-Za-z0-9_-]{20,}$' }), {
    expect: 'a bot token from @BotFather, like 123456789:AAH-example_token_text',
    doc: 'Telegram bot token. Unset: the bot is disabled, the API still runs.',
    secret: true,
  }),
  TELEGRAM_API_ROOT: v(httpUrl, {
    default: 'https://api.telegram.org',
    expect: 'an http(s) URL',
    doc: 'Bot API server root (a local Bot API server, or a fake one in tests).',
  }),
  NOWPAYMENTS_API_KEY: v(nonEmpty, {
    expect: 'the API key from the NOWPayments dashboard',
    doc: 'NOWPayments API key. Unset: crypto payments are disabled.',
    secret: true,
  }),
  NOWPAYMENTS_IPN_SECRET: v(nonEmpty, {
    expect: 'the IPN secret from the NOWPayments dashboard',
    doc: 'Key of the HMAC-SHA512 signature on payment notifications (IPN).',
    secret: true,
  }),
  NOWPAYMENTS_SANDBOX: v(bool, {
    default: 'false',
    expect: 'true or false',
    doc: 'Use the NOWPayments sandbox instead of production.',
  }),
  NOWPAYMENTS_API_URL: v(httpUrl, {
    expect: 'an http(s) URL',
    doc: 'Overrides the NOWPayments API base URL (default: production or sandbox URL).',
  }),
  ADMIN_USER_ID: v(t.String({ pattern: '^\\s*\\d{1,15}\\s*(,\\s*\\d{1,15}\\s*)*$' }), {
    expect: 'one or more Telegram user ids, comma separated, like 12345,67890',
    doc: 'Telegram ids of the administrators.',
  }),
  ADMIN_EMAIL: v(t.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' }), {
    expect: 'an e-mail address',
    doc: 'Where admin alerts are e-mailed.',
  }),
  ADMIN_API_KEY: v(t.String({ minLength: 24 }), {
    expect: 'a random string of at least 24 characters',
    doc: 'Admin key for the HTTP API (`Authorization: Bearer ...`). Unset: no admin API access.',
    secret: true,
  }),
  SMTP_SERVER: v(nonEmpty, {
    expect: 'a host name',
    doc: 'SMTP server for e-mail. Unset: e-mail is disabled.',
  }),
  SMTP_PORT: v(int(1, 65535), { default: '587', expect: 'an integer from 1 to 65535', doc: 'SMTP port.' }),
  SMTP_EMAIL: v(nonEmpty, { expect: 'an e-mail address', doc: 'SMTP login and sender address.' }),
  SMTP_PASSWORD: v(nonEmpty, { expect: 'a password', doc: 'SMTP password.', secret: true }),
  SMTP_FROM: v(
    t.String({ pattern: '^[^\\r\\n<>]*<[^\\s@<>]+@[^\\s@<>]+\\.[^\\s@<>]+>$|^[^\\s@<>]+@[^\\s@<>]+\\.[^\\s@<>]+$' }),
    {
      expect: 'an address, or a display name and an address like "TechBot <shop@example.com>"',
      doc: 'Sender of the e-mails (default: SMTP_EMAIL).',
    },
  ),
  MAX_CONNECTIONS: v(int(1, 1000), {
    default: '20',
    expect: 'an integer from 1 to 1000',
    doc: 'Maximum concurrent outbound HTTP calls (Telegram, NOWPayments).',
  }),
  CACHE_TTL: v(int(0, 604800), {
    default: '3600',
    expect: 'a number of seconds from 0 to 604800',
    doc: 'Default time-to-live of cached entries, in seconds (0 disables the cache).',
  }),
  CACHE_MAX_MB: v(int(1, 65536), {
    default: '64',
    expect: 'a number of megabytes from 1 to 65536',
    doc: 'Memory the in-process cache may hold, in MB (estimated at 2 bytes a character); past it the least recently used entries are evicted (`cache_evictions_total`).',
  }),
  MAX_FILE_SIZE_MB: v(int(1, 4096), {
    default: '100',
    expect: 'an integer from 1 to 4096',
    doc: 'Largest course file accepted, in MB.',
  }),
  COMPRESSION_LEVEL: v(int(0, 9), {
    default: '6',
    expect: 'an integer from 0 (store only) to 9 (smallest, slowest)',
    doc: 'gzip level for uploaded files that compress well; already-compressed formats are stored as they are.',
  }),
  DOWNLOAD_SECRET: v(t.String({ minLength: 32 }), {
    expect: 'a random string of at least 32 characters',
    doc: 'Key of the signed download links. Unset: a key generated on first start is kept in DATA_DIR/download.key.',
    secret: true,
  }),
  DOWNLOAD_LIMIT: v(int(1, 10_000), {
    default: '10',
    expect: 'a positive integer',
    doc: 'Downloads allowed per purchase per day.',
  }),
  DOWNLOAD_LINK_HOURS: v(int(1, 720), {
    default: '24',
    expect: 'a number of hours from 1 to 720',
    doc: 'How long a download link stays valid.',
  }),
  RATE_LIMIT_REQUESTS: v(int(1, 1_000_000), {
    default: '15',
    expect: 'a positive integer',
    doc: 'Requests allowed per client in each rate-limit window.',
  }),
  RATE_LIMIT_WINDOW: v(int(1, 86400), {
    default: '60',
    expect: 'a number of seconds from 1 to 86400',
    doc: 'Length of the rate-limit window, in seconds.',
  }),
  BODY_TIMEOUT: v(int(1, 3600), {
    default: '10',
    expect: 'a number of seconds from 1 to 3600',
    doc:
      'Seconds a client gets to send each further 16 KiB of a request body (or its end); a slower body is cut off ' +
      '(408, a partial upload is deleted). Only time spent waiting for the client counts.',
  }),
  REDIS_URL: v(t.String({ pattern: '^rediss?://' }), {
    expect: 'a redis:// or rediss:// URL',
    doc: 'Redis shared by several processes: the catalog cache, the rate limits and the leader lease (one process polls Telegram or registers the webhook). Unset: all in-process, for a single process. While Redis is down each process falls back to in-process and /ready shows it degraded.',
    secret: true,
  }),
  LEADER_LEASE_SECONDS: v(int(2, 300), {
    default: '15',
    expect: 'a number of seconds from 2 to 300',
    doc:
      'With REDIS_URL, several processes: one of them (the leader) polls Telegram or registers the webhook; ' +
      'when it dies another takes over within this long.',
  }),
  PORT: v(int(0, 65535), {
    default: '8000',
    expect: 'an integer from 0 to 65535',
    doc: 'HTTP port (0 picks any free port; the log says which).',
  }),
  HOST: v(nonEmpty, { default: '0.0.0.0', expect: 'an interface address', doc: 'HTTP listen address.' }),
  DATA_DIR: v(nonEmpty, {
    default: './data',
    expect: 'a directory path',
    doc: 'Holds the database (`techbot.db`) and the course files.',
  }),
  TRUSTED_PROXIES: v(nonEmpty, {
    expect: 'addresses or CIDR ranges, comma separated, like 172.28.0.0/16,127.0.0.1',
    doc: "Reverse proxies in front of the server (addresses or CIDR ranges). A request from one of them counts, for the rate limits, as the client its `X-Forwarded-For` names (read from the right, past these proxies). Unset: the connection's address, and no header is believed.",
    valid: (raw: string) => 'ranges' in parseAddressRanges(raw),
  }),
  PUBLIC_URL: v(httpUrl, {
    expect: 'the public https URL of this server, like https://shop.example.com',
    doc: 'Public URL: IPN callbacks, download links and the Telegram webhook (https only with the default TELEGRAM_API_ROOT). Unset: long polling.',
  }),
  LOG_LEVEL: v(t.Union(levels.map((l) => t.Literal(l)) as TLiteral<LogLevel>[]), {
    default: 'info',
    expect: 'one of fatal, error, warn, info, debug, trace, silent',
    doc: 'Log verbosity (JSON lines on stdout).',
  }),
  PLATFORM_FEE_PERCENT: v(t.Number({ minimum: 0, maximum: 100 }), {
    default: '5',
    expect: 'a number from 0 to 100',
    doc: 'Platform fee taken on each sale, in percent.',
  }),
  STORE_CURRENCY: v(t.String({ pattern: '^[A-Z]{3}$' }), {
    default: 'USD',
    expect: 'a three-letter ISO currency code, like USD or EUR',
    doc: 'Currency of product prices.',
  }),
  /**
   * Default 50: buyers get Stars in the Telegram app at about $0.02 each (50 Stars for about
   * $0.99 in the app stores, $0.019-0.021 a Star), so 50 Stars cost a buyer about what the
   * course costs in dollars. The operator receives less when withdrawing Stars through Fragment
   * (about $0.013 a Star, i.e. ~$0.65 of each $1); an operator who wants to net the dollar
   * price sets ~77. Products can also carry their own `stars_price`.
   * (Rates as published in 2024-2026 by Telegram's Stars pages and developers' reports.)
   */
  STARS_PER_USD: v(int(1, 10_000), {
    default: '50',
    expect: 'a whole number of Stars from 1 to 10000',
    doc:
      'Telegram Stars asked per 1.00 of STORE_CURRENCY for products without their own Stars price (rounded up). ' +
      'Buyers pay about $0.02 a Star in the app; a withdrawn Star yields about $0.013.',
  }),
  PAYOUT_MIN: v(t.String({ pattern: '^\\d{1,7}(\\.\\d{1,2})?$' }), {
    default: '20.00',
    expect: 'an amount in STORE_CURRENCY with at most two decimals, like 20.00',
    doc: 'Smallest payout a seller can request, in STORE_CURRENCY.',
  }),
  JOB_LEASE_SECONDS: v(int(1, 3600), {
    default: '30',
    expect: 'a number of seconds from 1 to 3600',
    doc:
      'How long a background job (e.g. a delivery) held by a process that died waits before another run takes it over. ' +
      'Running jobs renew it; it is not a time limit.',
  }),
} satisfies Record<string, Variable>;

export type LogLevel = (typeof levels)[number];

export type VariableName = keyof typeof variables;

/** The table as entries with the uniform `Variable` type, for code that walks every variable. */
export const variableEntries = Object.entries(variables) as [VariableName, Variable][];
