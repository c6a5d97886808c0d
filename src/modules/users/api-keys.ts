import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { apiKeys, sellers } from '../../store/schema/index.ts';
import type { ApiKeyCreatedView, CreateApiKeyInput, Principal } from './model.ts';

const sha256 = (text: string) => new Bun.CryptoHasher('sha256').update(text).digest('hex');
/** Writing last_used_at on every request would turn reads into writes; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeysDeps {
  db: Db;
  clock: Clock;
  adminApiKey?: string;
}

/**
 * API keys: `tbk_<id>_<secret>`, stored as a SHA-256 hash, shown once, revocable. The admin
 * key from ADMIN_API_KEY is never stored.
 */
export function createApiKeys({ db, clock, adminApiKey }: ApiKeysDeps) {
  const adminDigest = adminApiKey ? Buffer.from(sha256(adminApiKey)) : undefined;

  function create(input: CreateApiKeyInput): ApiKeyCreatedView {
    const now = clock.now();
    return db.transaction(
      (tx) => {
        let sellerId: number | null = null;
        if (input.role === 'seller') {
          if (input.seller_id !== undefined) {
            const seller = tx.select({ id: sellers.id }).from(sellers).where(eq(sellers.id, input.seller_id)).get();
            if (!seller) throw notFound(`seller ${input.seller_id}`);
            sellerId = seller.id;
          } else if (input.seller_name) {
            sellerId = tx
              .insert(sellers)
              .values({ displayName: input.seller_name.trim(), createdAt: now, updatedAt: now })
              .returning({ id: sellers.id })
              .get().id;
          } else {
            throw new AppError('validation_failed', 'a seller key needs seller_id or seller_name', [
              { in: 'body', field: 'seller_id', message: 'required when role is seller and seller_name is absent' },
            ]);
          }
        }
        const id = randomToken(8);
        const key = `tbk_${id}_${randomToken(32)}`;
        const label = input.label ?? null;
        tx.insert(apiKeys)
          .values({ id, keyHash: sha256(key), role: input.role, sellerId, label, createdAt: now })
          .run();
        return { id, key, role: input.role, seller_id: sellerId, label, created_at: new Date(now).toISOString() };
        // Immediate: a deferred transaction that reads first fails at once (SQLITE_BUSY) when another process wrote since.
      },
      { behavior: 'immediate' },
    );
  }

  function revoke(id: string): void {
    const revoked = db
      .update(apiKeys)
      .set({ revokedAt: clock.now() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id })
      .get();
    if (!revoked) throw notFound(`active API key ${id}`);
  }

  /** The principal a bearer key stands for, or null when it is unknown or revoked. */
  function authenticate(key: string): Principal | null {
    if (adminDigest) {
      const given = Buffer.from(sha256(key));
      if (crypto.timingSafeEqual(given, adminDigest)) return { role: 'admin', keyId: 'env' };
    }
    if (!key.startsWith('tbk_')) return null;
    const row = db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.keyHash, sha256(key)))
      .get();
    if (!row || row.revokedAt !== null) return null;
    const now = clock.now();
    if (row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS) {
      db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id)).run();
    }
    if (row.role === 'admin') return { role: 'admin', keyId: row.id };
    if (row.sellerId === null) return null;
    return { role: 'seller', keyId: row.id, sellerId: row.sellerId };
  }

  /** A seller's live keys (never the key itself: only its id, label and dates), newest first. */
  function listForSeller(sellerId: number) {
    return db
      .select({ id: apiKeys.id, label: apiKeys.label, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.sellerId, sellerId), eq(apiKeys.role, 'seller'), isNull(apiKeys.revokedAt)))
      .orderBy(desc(apiKeys.createdAt))
      .all();
  }

  /** Revokes one of the seller's own keys; someone else's key is "not found", like an unknown one. */
  function revokeForSeller(sellerId: number, id: string): void {
    const revoked = db
      .update(apiKeys)
      .set({ revokedAt: clock.now() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.sellerId, sellerId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id })
      .get();
    if (!revoked) throw notFound(`active API key ${id}`);
  }

  return { create, revoke, authenticate, listForSeller, revokeForSeller };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
