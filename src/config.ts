import { Value } from '@sinclair/typebox/value';
import type { Static } from '@sinclair/typebox';
import { join, resolve } from 'node:path';
import { variableEntries, type variables, type LogLevel, type VariableName } from './config/variables.ts';

type Vars = typeof variables;
type Env = {
  [K in VariableName]: Vars[K] extends { default: string }
    ? Static<Vars[K]['schema']>
    : Static<Vars[K]['schema']> | undefined;
};

export const NOWPAYMENTS_PRODUCTION_URL = 'https://api.nowpayments.io';
export const NOWPAYMENTS_SANDBOX_URL = 'https://api-sandbox.nowpayments.io';
export const TELEGRAM_OFFICIAL_API_ROOT = 'https://api.telegram.org';

/** Thrown with one line per bad variable; main.ts prints them and exits 2. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

function readEnv(source: Record<string, string | undefined>): Env {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of variableEntries) {
    const given = source[name];
    const raw = given === undefined || given.trim() === '' ? spec.default : given.trim();
    if (raw === undefined) continue;
    // Convert would truncate "80.5" to 80; an integer must be written as one.
    const wellFormed = spec.schema.type !== 'integer' || /^-?\d+$/.test(raw);
    const value = Value.Convert(spec.schema, raw);
    if (wellFormed && Value.Check(spec.schema, value) && (spec.valid?.(raw) ?? true)) {
      out[name] = value;
      continue;
    }
    const shown = spec.secret ? '(value hidden)' : JSON.stringify(raw);
    problems.push(`${name}=${shown} is invalid: expected ${spec.expect}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const env = out as Env;
  const combined = combinationProblems(env);
  if (combined.length > 0) throw new ConfigError(combined);
  return env;
}

/** Values each valid alone that cannot work together. */
function combinationProblems(env: Env): string[] {
  const problems: string[] = [];
  const officialApi = env.TELEGRAM_API_ROOT.replace(/\/+$/, '') === TELEGRAM_OFFICIAL_API_ROOT;
  // Telegram's servers refuse to call an http:// webhook (a local Bot API server allows it).
  if (env.TELEGRAM_TOKEN && officialApi && env.PUBLIC_URL && !env.PUBLIC_URL.toLowerCase().startsWith('https://')) {
    problems.push(
      `PUBLIC_URL=${JSON.stringify(env.PUBLIC_URL)} is invalid: expected an https:// URL, as Telegram sends webhooks only over HTTPS ` +
        '(use https, unset PUBLIC_URL to long-poll, or point TELEGRAM_API_ROOT at a local Bot API server)',
    );
  }
  return problems;
}

/** `Name <address>` or a bare address, as nodemailer's from. */
function parseFrom(value: string | undefined): { name?: string; address: string } | undefined {
  if (!value) return undefined;
  const named = /^(.*)<([^<>]+)>$/.exec(value.trim());
  if (!named) return { address: value.trim() };
  const name = named[1]!.trim().replace(/^"|"$/g, '');
  return { ...(name ? { name } : {}), address: named[2]!.trim() };
}

/** Typed, validated configuration. Built once in main.ts and passed down. */
export function loadConfig(source: Record<string, string | undefined> = process.env) {
  const env = readEnv(source);
  const dataDir = resolve(env.DATA_DIR);
  const publicUrl = env.PUBLIC_URL?.replace(/\/+$/, '');
  return {
    http: { port: env.PORT, host: env.HOST, publicUrl, trustedProxies: env.TRUSTED_PROXIES },
    dataDir,
    databasePath: join(dataDir, 'techbot.db'),
    logLevel: env.LOG_LEVEL as LogLevel,
    telegram: { token: env.TELEGRAM_TOKEN, apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, '') },
    nowpayments: {
      apiKey: env.NOWPAYMENTS_API_KEY,
      ipnSecret: env.NOWPAYMENTS_IPN_SECRET,
      sandbox: env.NOWPAYMENTS_SANDBOX,
      apiUrl: (
        env.NOWPAYMENTS_API_URL ?? (env.NOWPAYMENTS_SANDBOX ? NOWPAYMENTS_SANDBOX_URL : NOWPAYMENTS_PRODUCTION_URL)
      ).replace(/\/+$/, ''),
    },
    admin: {
      telegramIds: env.ADMIN_USER_ID ? env.ADMIN_USER_ID.split(',').map((id) => Number(id.trim())) : [],
      email: env.ADMIN_EMAIL,
      apiKey: env.ADMIN_API_KEY,
    },
    smtp: {
      server: env.SMTP_SERVER,
      port: env.SMTP_PORT,
      email: env.SMTP_EMAIL,
      password: env.SMTP_PASSWORD,
      from: parseFrom(env.SMTP_FROM ?? env.SMTP_EMAIL),
    },
    maxConnections: env.MAX_CONNECTIONS,
    cacheTtlSeconds: env.CACHE_TTL,
    cacheMaxBytes: env.CACHE_MAX_MB * 1024 * 1024,
    maxFileSizeBytes: env.MAX_FILE_SIZE_MB * 1024 * 1024,
    files: {
      compressionLevel: env.COMPRESSION_LEVEL,
      downloadSecret: env.DOWNLOAD_SECRET,
      downloadLimitPerDay: env.DOWNLOAD_LIMIT,
      downloadLinkTtlMs: env.DOWNLOAD_LINK_HOURS * 3600_000,
    },
    rateLimit: { requests: env.RATE_LIMIT_REQUESTS, windowSeconds: env.RATE_LIMIT_WINDOW },
    bodyTimeoutMs: env.BODY_TIMEOUT * 1000,
    redisUrl: env.REDIS_URL,
    leaderLeaseMs: env.LEADER_LEASE_SECONDS * 1000,
    platformFeePercent: env.PLATFORM_FEE_PERCENT,
    storeCurrency: env.STORE_CURRENCY,
    payoutMinCents: Math.round(Number(env.PAYOUT_MIN) * 100),
    stars: { perUsd: env.STARS_PER_USD },
    jobs: { leaseMs: env.JOB_LEASE_SECONDS * 1000 },
  };
}

export type Config = ReturnType<typeof loadConfig>;

/** Every secret value in the configuration, so the logger can scrub them from any output. */
export function secretValues(source: Record<string, string | undefined> = process.env): string[] {
  return variableEntries
    .filter(([, spec]) => spec.secret)
    .map(([name]) => source[name]?.trim())
    .filter((value): value is string => !!value && value.length >= 4);
}

/** E-mail is sent only with a server and a sender (SMTP_EMAIL or SMTP_FROM). */
export const emailEnabled = (config: Config) => Boolean(config.smtp.server && config.smtp.from);

/** Integrations that are off because their settings are missing, with the reason. */
export function disabledIntegrations(config: Config): string[] {
  const off: string[] = [];
  if (!config.telegram.token) off.push('telegram bot (TELEGRAM_TOKEN not set)');
  if (!config.nowpayments.apiKey) off.push('crypto payments (NOWPAYMENTS_API_KEY not set)');
  else if (!config.nowpayments.ipnSecret) off.push('payment notifications (NOWPAYMENTS_IPN_SECRET not set)');
  if (!emailEnabled(config)) off.push('e-mail (SMTP_SERVER, or SMTP_EMAIL / SMTP_FROM, not set)');
  if (!config.http.publicUrl) off.push('webhook, IPN callbacks and download links (PUBLIC_URL not set)');
  if (!config.admin.apiKey) off.push('admin HTTP API (ADMIN_API_KEY not set)');
  if (!config.redisUrl) off.push('Redis (REDIS_URL not set; in-process cache used)');
  return off;
}
