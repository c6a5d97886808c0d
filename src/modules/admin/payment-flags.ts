import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import type { FlagState } from '../payments/operator.ts';
import type { Payments } from '../payments/service.ts';
import type { Stars } from '../payments/stars.ts';
import type { Users } from '../users/service.ts';
import type { Audit } from './audit.ts';
import { giveStarsBack, tell, type AdminPorts } from './ports.ts';

export interface PaymentFlagsDeps {
  db: Db;
  audit: Audit;
  payments: Pick<Payments, 'flaggedEvents' | 'markHandled' | 'openFlagCount'>;
  stars: Pick<Stars, 'flaggedCharge'>;
  users: Pick<Users, 'findByTelegramId'>;
  ports: () => AdminPorts;
}

/** Stars charges that paid nothing, which the operator gives back from the flagged list. */
const STARS_TO_GIVE_BACK = ['double_payment', 'unknown_payment'];

/** What `refundStars` would give back for a listed event: an open Stars charge that paid nothing. */
const refundableStars = (event: {
  provider: string;
  flag: string;
  handled_at: string | null;
  amount: string | null;
}) =>
  event.provider === 'stars' && STARS_TO_GIVE_BACK.includes(event.flag) && event.handled_at === null && event.amount
    ? Number(event.amount)
    : null;

/**
 * Flagged payment events for the operator (unknown payment, repeated deposit, double payment,
 * amount mismatch, malformed): listed with why, and marked handled once looked into (the mark
 * and its audit row in one transaction). Handled events leave the open list and the stats figure.
 */
export function createAdminPaymentFlags({ db, audit, payments, stars, users, ports }: PaymentFlagsDeps) {
  /** The mark and its audit row (`action`, with the event's flag and `details`), in one transaction. */
  function handle(actor: string, id: number, note: string | undefined, action: string, details = {}) {
    return db.transaction(
      (tx) => {
        const event = payments.markHandled(id, actor, note?.trim() || null, tx);
        const { flag } = event;
        audit.record({ actor, action, target: `payment_event:${id}`, reason: note, details: { flag, ...details } }, tx);
        return event;
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * A Stars charge that paid nothing (a second charge for an order already paid, or one naming
   * no order of its payer) given back through refundStarPayment; then the event is handled,
   * audited, and the payer told. The order keeps its first payment and its buyer the course. A
   * charge that paid an order is given back with the order (refunds.ts), which takes the course.
   */
  async function refundStars(actor: string, id: number) {
    const charge = stars.flaggedCharge(id);
    if (!charge) throw notFound(`flagged Stars payment event ${id}`);
    if (!STARS_TO_GIVE_BACK.includes(charge.flag))
      throw new AppError('conflict', `a ${charge.flag} event is not a charge to give back`);
    if (charge.handled) throw new AppError('conflict', `payment event ${id} is already handled`);
    const { telegramUserId, stars: amount } = charge;
    if (telegramUserId === undefined || amount === undefined)
      throw new AppError('conflict', `payment event ${id} does not name its payer: give it back by hand`);
    await giveStarsBack(ports(), telegramUserId, charge.chargeId);
    const note = `${amount} Stars given back through Telegram`;
    const details = { charge_id: charge.chargeId, stars: amount };
    const tellPayer = () =>
      tell(ports(), users.findByTelegramId(telegramUserId)?.id, 'stars-given-back', { stars: amount });
    let event: ReturnType<typeof handle>;
    try {
      event = handle(actor, id, note, 'stars_given_back', details);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      // Marked handled by another admin while Telegram answered: the Stars went back all the same.
      audit.record({ actor, action: 'stars_given_back', target: `payment_event:${id}`, reason: note, details });
      await tellPayer();
      throw new AppError('conflict', `${note}; payment event ${id} had been marked handled meanwhile`);
    }
    await tellPayer();
    return { ...event, charge_id: charge.chargeId, stars: amount };
  }

  return {
    /** Each with the Stars its give-back returns (`refundable_stars`), null for an event that has none. */
    list: (state: FlagState = 'open', limit = 50) =>
      payments.flaggedEvents(limit, state).map((event) => ({ ...event, refundable_stars: refundableStars(event) })),
    openCount: () => payments.openFlagCount(),
    markHandled: (actor: string, id: number, note?: string) => handle(actor, id, note, 'payment_event_handled'),
    refundStars,
  };
}

export type AdminPaymentFlags = ReturnType<typeof createAdminPaymentFlags>;
