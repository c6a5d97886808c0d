import { Counter, type Registry } from '../../lib/prom.ts';

/** What the seller side produces: new sellers, courses put on sale, payouts asked for. */
export function createSellerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    onboarded: new Counter({ name: 'sellers_onboarded_total', help: 'Sellers who completed onboarding.', registers }),
    published: new Counter({ name: 'courses_published_total', help: 'Courses published by sellers.', registers }),
    payoutsRequested: new Counter({ name: 'payouts_requested_total', help: 'Payout requests accepted.', registers }),
    payoutsRequestedCents: new Counter({
      name: 'payouts_requested_amount_cents_total',
      help: 'Amount of the payout requests accepted, in minor units of STORE_CURRENCY.',
      registers,
    }),
  };
}

export type SellerMetrics = ReturnType<typeof createSellerMetrics>;
