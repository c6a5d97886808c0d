import { Counter, Gauge, type Registry } from '../../lib/prom.ts';

/** The operator's counters on /metrics. */
export function createAdminMetrics(registry: Registry, openTickets: () => number) {
  new Gauge({
    name: 'techbot_open_tickets',
    help: 'Support tickets waiting for the operator (read from the database when scraped)',
    registers: [registry],
    collect() {
      this.set(openTickets());
    },
  });
  return {
    payouts: new Counter({
      name: 'techbot_admin_payouts_total',
      help: 'Payouts decided by the operator, by outcome',
      labelNames: ['status'],
      registers: [registry],
    }),
    broadcastMessages: new Counter({
      name: 'techbot_broadcast_messages_total',
      help: 'Broadcast sends by outcome (rate_limited counts 429 answers waited out)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    actions: new Counter({
      name: 'techbot_admin_actions_total',
      help: 'Admin actions by kind (access_denied counts refusals)',
      labelNames: ['action'],
      registers: [registry],
    }),
    refunds: new Counter({
      name: 'techbot_refunds_total',
      help: 'Orders refunded by the operator, by payment method',
      labelNames: ['method'],
      registers: [registry],
    }),
  };
}
