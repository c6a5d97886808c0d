/**
 * Order tokens: 256-bit random capabilities to read one order (status, a fresh download link).
 * Handed out once in clear (POST /api/payment, the receipt e-mail) and stored only as their
 * SHA-256, so the database never holds a usable token. Each hand-out is a new token: an old
 * one keeps working, so a second POST /api/payment never breaks the link in an e-mail.
 */
import { randomBytes } from '../../lib/random.ts';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../store/database.ts';
import { orderTokens } from '../../store/schema/index.ts';

const hashOf = (token: string) => new Bun.CryptoHasher('sha256').update(token, 'utf8').digest();
/** base64url of 32 bytes. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createOrderTokens({ db, clock }: { db: Db; clock: Clock }) {
  function issue(orderId: string, issuedTo: 'api' | 'email'): string {
    const token = randomBytes(32).toString('base64url');
    db.insert(orderTokens)
      .values({ tokenHash: hashOf(token).toString('hex'), orderId, issuedTo, createdAt: clock.now() })
      .run();
    return token;
  }

  /** True when `token` was issued for `orderId`. The stored hashes are compared in constant time. */
  function check(orderId: string, token: string | undefined | null): boolean {
    if (!token || !TOKEN_SHAPE.test(token)) return false;
    const given = hashOf(token);
    const rows = db
      .select({ hash: orderTokens.tokenHash })
      .from(orderTokens)
      .where(eq(orderTokens.orderId, orderId))
      .all();
    let ok = false;
    for (const { hash } of rows) ok = crypto.timingSafeEqual(Buffer.from(hash, 'hex'), given) || ok;
    return ok;
  }

  return { issue, check };
}

export type OrderTokens = ReturnType<typeof createOrderTokens>;
