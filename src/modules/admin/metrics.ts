import { Counter, type Registry } from 'prom-client';

/** The operator's counters on /metrics. */
export function createAdminMetrics(registry: Registry) {
  return {
    actions: new Counter({ name: 'techbot_admin_actions_total', help: 'Admin actions by kind (access_denied counts refusals)', labelNames: ['action'], registers: [registry] }),
    refunds: new Counter({ name: 'techbot_refunds_total', help: 'Orders refunded by the operator, by payment method', labelNames: ['method'], registers: [registry] }),
  };
}
