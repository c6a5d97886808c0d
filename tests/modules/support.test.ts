import { describe, expect, test } from 'bun:test';
import { AppError } from '../../src/lib/errors.ts';
import { MAX_OPEN_TICKETS } from '../../src/modules/support/model.ts';
import { createSupport } from '../../src/modules/support/service.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { catalogFixture, ordersOn } from '../support/catalog.ts';

function supportFixture() {
  const base = catalogFixture();
  const { db } = base.store;
  const orders = ordersOn(base);
  const users = createUsers({ db, clock: base.clock });
  const support = createSupport({ db, clock: base.clock, orders });
  const alice = users.upsertTelegram({ telegramId: 1, firstName: 'Alice' });
  const bob = users.upsertTelegram({ telegramId: 2, firstName: 'Bob' });
  const product = base.product();
  return { ...base, orders, users, support, alice, bob, product };
}

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('support tickets', () => {
  test('a buyer opens tickets and sees their own, newest first, with their state', () => {
    const { support, alice, bob, clock } = supportFixture();
    const first = support.openTicket(alice.id, '  I cannot open the PDF.  ');
    expect(first).toMatchObject({
      status: 'open',
      message: 'I cannot open the PDF.',
      order_id: null,
      admin_reply: null,
    });
    clock.advance(1000);
    support.openTicket(alice.id, 'Second question, about refunds.');
    support.openTicket(bob.id, 'Bob has a question too.');
    const mine = support.listTickets(alice.id);
    expect(mine.map((t) => t.message)).toEqual(['Second question, about refunds.', 'I cannot open the PDF.']);
    expect(mine.every((t) => t.status === 'open')).toBe(true);
    expect(new Date(mine[0]!.created_at).getTime()).toBe(clock.now());
    expect(support.listTickets(bob.id)).toHaveLength(1);
  });

  test('the message must hold 5 to 2000 characters once trimmed', () => {
    const { support, alice } = supportFixture();
    for (const message of ['', '    ', 'abcd', ` ${'x'.repeat(2001)} `]) {
      const error = errorOf(() => support.openTicket(alice.id, message));
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([{ in: 'body', field: 'message', message: 'from 5 to 2000 characters' }]);
    }
    expect(support.openTicket(alice.id, ` ${'x'.repeat(2000)} `).message).toHaveLength(2000);
    expect(support.openTicket(alice.id, 'abcde').message).toBe('abcde');
  });

  test(`at most ${MAX_OPEN_TICKETS} open tickets per user, with a clear error; others are unaffected`, () => {
    const { support, alice, bob, store } = supportFixture();
    for (let i = 0; i < MAX_OPEN_TICKETS; i++) support.openTicket(alice.id, `Question number ${i}`);
    const error = errorOf(() => support.openTicket(alice.id, 'One question too many'));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain(`already have ${MAX_OPEN_TICKETS} open tickets`);
    expect(error.details).toEqual({ reason: 'too_many_open_tickets', limit: MAX_OPEN_TICKETS });
    expect(support.listTickets(alice.id)).toHaveLength(MAX_OPEN_TICKETS);
    expect(support.openTicket(bob.id, 'Bob is still welcome').status).toBe('open');
    // Once one is answered, there is room again: writing again reopens the answered ticket
    // (the operator sees the exchange in one place) instead of opening a sixth.
    store.sqlite.run(
      "UPDATE support_tickets SET status = 'answered', admin_reply = 'Done' WHERE id = (SELECT min(id) FROM support_tickets)",
    );
    expect(support.openTicket(alice.id, 'Now there is room').status).toBe('open');
    expect(support.listTickets(alice.id)).toHaveLength(5);
    expect(support.listTickets(alice.id).at(-1)).toMatchObject({
      status: 'open',
      admin_reply: 'Done',
      message: 'Question number 0\n\n» Now there is room',
    });
  });

  test("a ticket may name one of the author's orders; someone else's or an unknown order is refused alike", () => {
    const { support, orders, alice, bob, product } = supportFixture();
    const { order } = orders.create({ buyerId: alice.id, productId: product.id, method: 'crypto' });
    expect(support.openTicket(alice.id, 'Paid but nothing yet', order.id.toLowerCase()).order_id).toBe(order.id);
    for (const [user, orderId] of [
      [bob.id, order.id],
      [alice.id, 'ORD-2611-NOPE0000'],
    ] as const) {
      const error = errorOf(() => support.openTicket(user, 'Where is my order?', orderId));
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([{ in: 'body', field: 'order_id', message: 'no order of yours has this id' }]);
    }
    expect(support.listTickets(bob.id)).toEqual([]);
  });
});
