import fc from 'fast-check';
import { adminPorts } from '../../../src/app/admin-ports.ts';
import type { Shop } from '../app.ts';
import type { Hints, Text } from './requests.ts';

const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const BTC_TX = 'a'.repeat(64);

/**
 * What the walk's admin operations act on, made apart from everything the other operations use
 * (a refund, a take-down, a suspension or a ban there would change their answers): a paid order
 * to refund, a course to take down, a seller to suspend, a user to ban, tickets to answer and
 * close, drafts to start and cancel (over a broadcast port that sends nowhere: the walk's users
 * are no chats of the fake Telegram; the bot's other ports stay), and two pending payouts, one
 * to pay and one to reject.
 */
export async function adminHints(
  shop: Shop,
  courseOf: (sellerKey: string) => Promise<string>,
): Promise<Record<string, Hints>> {
  const { app } = shop;
  const person = (telegramId: number) =>
    app.users.upsertTelegram({ telegramId, firstName: 'Walk', languageCode: 'en' });
  const paid = (buyerId: number, productId: string) => {
    const { order } = app.orders.create({ buyerId, productId, method: 'crypto' });
    app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    return order.id;
  };
  const refunded = paid(person(5101).id, shop.productId);
  const moderated = await courseOf((await shop.sellerKey('Walk Moderated')).key);
  const suspended = await shop.sellerKey('Walk Suspended');
  const banned = person(5102);
  const [answered, closed] = [person(5103), person(5104)].map((u) =>
    app.support.openTicket(u.id, 'Where is my course, please?'),
  );
  const { api } = app.telegram.bot!;
  app.admin.connect({
    ...adminPorts({ api, broadcastApi: api, users: app.users }),
    broadcast: { send: async () => ({ kind: 'sent' }), progress: async () => {} },
  });
  const [started, cancelled] = ['Walk news', 'Walk news, cancelled'].map((text) =>
    app.admin.broadcasts.draft('test', { text }),
  );
  const payout = async (name: string) => {
    const seller = await shop.sellerKey(name);
    paid(person(5105 + name.length).id, await courseOf(seller.key));
    await app.sellers.profiles.update(seller.sellerId, { payout_network: 'BTC', payout_address: BTC_ADDRESS });
    return app.sellers.payouts.request(seller.sellerId).id;
  };
  const [toPay, toReject] = [await payout('Walk Paid'), await payout('Walk Rejected seller')];
  const id = (value: number | string) => ({ params: { id: fc.constant<Text>(String(value)) } });
  // A fresh dead job for each retry or discard (a job retried or discarded once is no longer dead).
  const deadJob = () => {
    const row = app.store.sqlite
      .query(
        `INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, last_error, created_at, updated_at)
         VALUES ('walk-check', '{}', 'dead', 1, 1, 0, 'walk', 0, 0) RETURNING id`,
      )
      .get() as { id: number };
    return String(row.id);
  };
  const freshDeadJob = { params: { id: fc.constant<Text>({ late: deadJob, label: 'a fresh dead job' }) } };
  return {
    refundOrder: { body: fc.constant({ order_id: refunded, note: 'sent back by hand' }) },
    moderateProduct: {
      ...id(moderated),
      body: fc.constantFrom({ action: 'take_down', reason: 'walk check' }, { action: 'restore' }),
    },
    suspendSeller: {
      ...id(suspended.sellerId),
      body: fc.constantFrom({ suspended: true, reason: 'walk check' }, { suspended: false }),
    },
    banUser: { ...id(banned.id), body: fc.constantFrom({ banned: true, reason: 'walk check' }, { banned: false }) },
    replyTicket: { ...id(answered!.id), body: fc.constant({ text: 'Answered by the walk.' }) },
    closeTicket: id(closed!.id),
    startBroadcast: id(started!.id),
    cancelBroadcast: id(cancelled!.id),
    markPayoutPaid: { ...id(toPay), body: fc.constant({ tx_hash: BTC_TX }) },
    rejectPayout: { ...id(toReject), body: fc.constant({ reason: 'walk check' }) },
    retryJob: freshDeadJob,
    discardJob: freshDeadJob,
  };
}
