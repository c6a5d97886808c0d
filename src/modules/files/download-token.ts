import { randomBytes } from '../../lib/random.ts';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../lib/errors.ts';

/** What a download link grants: one buyer, one file of one product, until `expiresAt` (ms). */
export interface DownloadClaims {
  buyerId: number;
  fileId: string;
  productId: string;
  expiresAt: number;
}

/** Domain separation: this key signs download links and nothing else. */
const CONTEXT = 'techbot-download-v1.';
const KEY_FILE = 'download.key';
const MAX_TOKEN_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The key of the download links: `DOWNLOAD_SECRET` when set, else `DATA_DIR/download.key`,
 * created on first start (32 random bytes, hex, mode 0600) and reused afterwards. The key is
 * written to a temp file and hard-linked into place, so it appears whole or not at all, and
 * two processes starting at once both end up with the one that won.
 */
export function loadDownloadSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temp);
    }
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(key)) {
    throw new Error(`${path} does not hold a download key (64 hex characters); remove it to generate a new one`);
  }
  return key;
}

const sign = (secret: string, payload: string) =>
  new Bun.CryptoHasher('sha256', secret).update(CONTEXT + payload).digest();

/**
 * A compact, URL-safe token: `base64url(JSON claims) + '.' + base64url(HMAC-SHA256)`.
 * The claims are readable by anyone holding the link but cannot be changed without the key.
 */
export function signDownloadToken(secret: string, claims: DownloadClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ u: claims.buyerId, f: claims.fileId, p: claims.productId, x: claims.expiresAt }),
  ).toString('base64url');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

const invalid = () =>
  new AppError('forbidden', 'this download link is invalid; ask the bot for a new one', { reason: 'invalid_token' });

function parseClaims(payload: string): DownloadClaims | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { u, f, p, x } = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(u) || typeof f !== 'string' || typeof p !== 'string' || !Number.isSafeInteger(x))
    return undefined;
  return { buyerId: u as number, fileId: f, productId: p, expiresAt: x as number };
}

/**
 * The claims of a token this key signed, compared in constant time. Tampered or malformed
 * -> 403; past its expiry -> 410 (only said once the signature is known to be good).
 */
export function verifyDownloadToken(secret: string, token: string, now: number): DownloadClaims {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid();
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !BASE64URL.test(payload) || !BASE64URL.test(signature))
    throw invalid();
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw invalid();
  // base64url decoding ignores stray trailing bits: only the canonical spelling is accepted.
  if (given.toString('base64url') !== signature) throw invalid();
  const claims = parseClaims(payload);
  if (!claims) throw invalid();
  if (now > claims.expiresAt) {
    throw new AppError('gone', 'this download link has expired; ask the bot for a new one', {
      reason: 'expired',
      expired_at: new Date(claims.expiresAt).toISOString(),
    });
  }
  return claims;
}
