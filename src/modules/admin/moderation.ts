import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import type { CatalogModeration } from '../catalog/moderation.ts';
import type { SellerSuspension } from '../users/seller-suspension.ts';
import type { UserModeration } from '../users/moderation.ts';
import type { Users } from '../users/service.ts';
import type { Audit } from './audit.ts';
import { tell, type AdminPorts } from './ports.ts';

export interface ModerationDeps {
  db: Db;
  audit: Audit;
  catalog: CatalogModeration;
  people: UserModeration;
  sellers: Pick<SellerSuspension, 'setSuspended'>;
  users: Pick<Users, 'sellerUser' | 'get'>;
  ports: () => AdminPorts;
}

const needReason = (reason: string | undefined) => {
  const text = reason?.trim();
  if (!text || text.length < 3)
    throw new AppError('validation_failed', 'a reason is required', [
      { in: 'body', field: 'reason', message: 'say why (3 characters at least)' },
    ]);
  return text;
};

/**
 * Take-downs, seller suspensions and bans: each change and its audit row in one transaction,
 * then the person concerned is told (best effort) in their language.
 */
export function createModeration({ db, audit, catalog, people, sellers, users, ports }: ModerationDeps) {
  const inTx = <T>(run: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => T) =>
    db.transaction(run, { behavior: 'immediate' });

  async function takeDown(actor: string, productId: string, reasonText: string | undefined) {
    const reason = needReason(reasonText);
    const row = inTx((tx) => {
      const updated = catalog.takeDown(productId, reason, tx);
      audit.record({ actor, action: 'take_down', target: `product:${updated.id}`, reason }, tx);
      return updated;
    });
    await tell(ports(), users.sellerUser(row.sellerId)?.id, 'admin-take-down-seller', { title: row.title, reason });
    return row;
  }

  async function restore(actor: string, productId: string) {
    const row = inTx((tx) => {
      const updated = catalog.restore(productId, tx);
      audit.record({ actor, action: 'restore_product', target: `product:${updated.id}` }, tx);
      return updated;
    });
    await tell(ports(), users.sellerUser(row.sellerId)?.id, 'admin-restore-seller', { title: row.title });
    return row;
  }

  async function suspendSeller(actor: string, sellerId: number, suspended: boolean, reasonText?: string) {
    const reason = suspended ? needReason(reasonText) : (reasonText?.trim() ?? null);
    const result = inTx((tx) => {
      const seller = sellers.setSuspended(sellerId, suspended, tx, reason);
      const courses = suspended ? catalog.hideSeller(sellerId, tx) : catalog.showSeller(sellerId, tx);
      audit.record(
        {
          actor,
          action: suspended ? 'suspend_seller' : 'restore_seller',
          target: `seller:${sellerId}`,
          reason,
          details: { courses },
        },
        tx,
      );
      return { seller, courses };
    });
    await tell(
      ports(),
      users.sellerUser(sellerId)?.id,
      suspended ? 'admin-suspended-seller' : 'admin-unsuspended-seller',
      { reason: reason ?? '' },
    );
    return result;
  }

  async function ban(actor: string, userId: number, banned: boolean, reasonText?: string) {
    const reason = banned ? needReason(reasonText) : (reasonText?.trim() ?? null);
    const user = inTx((tx) => {
      const row = people.setBan(userId, banned, reason, tx);
      audit.record({ actor, action: banned ? 'ban' : 'unban', target: `user:${userId}`, reason }, tx);
      return row;
    });
    if (!banned) await tell(ports(), userId, 'admin-unbanned');
    return user;
  }

  return { takeDown, restore, suspendSeller, ban };
}

export type Moderation = ReturnType<typeof createModeration>;
