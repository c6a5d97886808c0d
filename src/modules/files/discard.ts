import { eq } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { files, uploadTokens } from '../../store/schema/index.ts';
import { removeBlob } from './blobs.ts';

/**
 * Throws away a file a seller uploaded for a course that was never published (/newcourse
 * cancelled, discarded or timed out; a file replaced at the preview): its row, and its blob
 * unless another row shares the content. A file a product or a download refers to is kept:
 * the foreign keys refuse the delete, and nothing is removed.
 */
export function createDiscard({ db, dataDir }: { db: Db; dataDir: string }) {
  return async function discard(fileId: string, ownerSellerId: number): Promise<boolean> {
    const row = db.select().from(files).where(eq(files.id, fileId)).get();
    if (!row || row.ownerSellerId !== ownerSellerId) return false;
    try {
      db.transaction((tx) => {
        tx.update(uploadTokens).set({ fileId: null }).where(eq(uploadTokens.fileId, fileId)).run();
        tx.delete(files).where(eq(files.id, fileId)).run();
      });
    } catch (error) {
      if (String(error).includes('FOREIGN KEY constraint failed')) return false;
      throw error;
    }
    const shared = db.select({ id: files.id }).from(files).where(eq(files.sha256, row.sha256)).get();
    if (!shared) await removeBlob(dataDir, row.sha256, row.compression);
    return true;
  };
}
