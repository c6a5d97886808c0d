import { and, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import type { Db, Tx } from '../../store/database.ts';
import { files, uploadTokens } from '../../store/schema/index.ts';
import type { Users } from '../users/service.ts';

export const UPLOAD_LINK_TTL_MS = 3600_000;

const sha256 = (text: string) => new Bun.CryptoHasher('sha256').update(text).digest('hex');

export interface UploadLink {
  url: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A checked upload token: who uploads, and the row to claim once the file is stored. */
export interface UploadGrant {
  sellerId: number;
  tokenHash: string;
  expiresAt: number;
}

const alreadyUsed = () =>
  new AppError('gone', 'this upload link was already used; ask the bot for a new one', { reason: 'used' });

/**
 * One-time upload links for sellers: valid for one successful upload within an hour. Only
 * the token's SHA-256 is stored. A failed or interrupted upload does not use the link up.
 */
export function createUploadLinks({
  db,
  clock,
  pageBase,
  users,
}: {
  db: Db;
  clock: Clock;
  pageBase: string;
  users: Pick<Users, 'seller'>;
}) {
  function create(sellerId: number): UploadLink {
    if (!users.seller(sellerId)) throw notFound(`seller ${sellerId}`);
    const token = randomToken(32);
    const now = clock.now();
    const expiresAt = now + UPLOAD_LINK_TTL_MS;
    db.insert(uploadTokens)
      .values({ tokenHash: sha256(token), sellerId, expiresAt, createdAt: now })
      .run();
    return { url: `${pageBase}/${token}`, token, expiresAt };
  }

  /** The grant of a usable token: 401 unknown, 410 used or expired (`details.reason` says which). */
  function check(token: string): UploadGrant {
    const tokenHash = sha256(token);
    const row = db.select().from(uploadTokens).where(eq(uploadTokens.tokenHash, tokenHash)).get();
    if (!row)
      throw new AppError('unauthorized', 'unknown upload link; ask the bot for a new one', { reason: 'unknown' });
    if (row.usedAt !== null) throw alreadyUsed();
    if (row.expiresAt <= clock.now()) {
      throw new AppError('gone', 'this upload link has expired; ask the bot for a new one', {
        reason: 'expired',
        expired_at: new Date(row.expiresAt).toISOString(),
      });
    }
    return { sellerId: row.sellerId, tokenHash, expiresAt: row.expiresAt };
  }

  /**
   * Uses the link up for `fileId`, inside the transaction that records the file. Only one
   * upload can win: a second one that finished meanwhile is refused (410). An upload that
   * started before the link expired may finish after.
   */
  function claim(tx: Tx, grant: UploadGrant, fileId: string): void {
    const claimed = tx
      .update(uploadTokens)
      .set({ usedAt: clock.now(), fileId })
      .where(and(eq(uploadTokens.tokenHash, grant.tokenHash), isNull(uploadTokens.usedAt)))
      .returning({ hash: uploadTokens.tokenHash })
      .get();
    if (!claimed) throw alreadyUsed();
  }

  /** The file uploaded through a link, once the upload is stored; null before. */
  function uploaded(token: string): { fileId: string; name: string; size: number } | null {
    const row = db
      .select({ fileId: files.id, name: files.originalName, size: files.sizeBytes })
      .from(uploadTokens)
      .innerJoin(files, eq(files.id, uploadTokens.fileId))
      .where(eq(uploadTokens.tokenHash, sha256(token)))
      .get();
    return row ?? null;
  }

  return { create, check, claim, uploaded };
}

export type UploadLinks = ReturnType<typeof createUploadLinks>;
