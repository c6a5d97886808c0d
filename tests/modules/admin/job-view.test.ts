/** What an operator sees of a job (GET /api/admin/jobs, the bot, the audit of a retry or discard). */
import { expect, test } from 'bun:test';
import type { JobRecord } from '../../../src/lib/queue.ts';
import { toJobView } from '../../../src/modules/admin/jobs.ts';

const job = (kind: string, payload: unknown, uniqueKey: string | null = null): JobRecord => ({
  id: 7,
  kind,
  payload: JSON.stringify(payload),
  uniqueKey,
  status: 'dead',
  attempts: 12,
  maxAttempts: 12,
  runAt: 0,
  lastError: 'SMTP 550',
  createdAt: 0,
  updatedAt: 0,
  finishedAt: 0,
});

test('an e-mail job shows whom, why and the language, never its links and tokens', () => {
  const secret = 'https://shop.example.com/api/orders/ORD-1/download?token=0123456789abcdef';
  const receipt = { purpose: 'receipt', to: 'ana@example.org', lang: 'fr', args: { download: secret, renew: secret } };
  for (const view of [
    toJobView(job('email', receipt)),
    toJobView(job('email', receipt, 'email:receipt:ORD-1:ana@example.org')),
  ]) {
    expect(view.payload).toEqual({ purpose: 'receipt', to: 'ana@example.org', lang: 'fr' });
    expect(JSON.stringify(view)).not.toContain('token=');
  }
});

test('other jobs show their payload as it is', () => {
  expect(toJobView(job('deliver', { orderId: 'ORD-2612-ABCD2345' }, 'deliver:ORD-2612-ABCD2345'))).toMatchObject({
    payload: { orderId: 'ORD-2612-ABCD2345' },
    order_id: 'ORD-2612-ABCD2345',
    for: 'deliver:ORD-2612-ABCD2345',
  });
});
