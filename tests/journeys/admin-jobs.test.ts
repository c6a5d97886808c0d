/**
 * Dead jobs in the running app: a delivery refused by the Bot API (the buyer blocked the bot)
 * goes dead at once; the operator sees it in the bot (⚰️ Dead jobs) and on GET /api/admin/jobs,
 * retries it once the buyer is reachable again and the buyer gets the file; another one is
 * discarded over HTTP and leaves the list, the stats and the queue_depth gauge. Both audited.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { ADMIN_KEY, eventually, startTestApp, type TestApp } from '../support/app.ts';
import { documentsTo, paymentIdOf, payWith } from '../support/buying.ts';
import type { TelegramUser } from '../support/telegram-user.ts';

const ADMIN_ID = 880_001;
const FRENCH_ADMIN_ID = 880_002;
let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({
    telegram: true,
    nowpayments: true,
    publicUrl: true,
    env: { ADMIN_USER_ID: `${ADMIN_ID},${FRENCH_ADMIN_ID}` },
  });
});
afterAll(() => h.stop());

// biome-ignore lint/suspicious/noExplicitAny: the tests read whichever fields each admin answer has.
const asAdmin = async (method: string, path: string): Promise<{ status: number; body: Record<string, any> }> => {
  const response = await h.call(method, path, { key: ADMIN_KEY });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const deadDeliveries = () => h.app.queue.list({ status: 'dead', kind: 'deliver' });
const deadGauge = async () =>
  Number(/queue_depth\{status="dead"\} (\d+)/.exec(await (await fetch(`${h.url}/metrics`)).text())?.[1]);

/** A buyer pays in crypto after blocking the bot: the deliver job is refused (403) and goes dead. */
async function deadDelivery(user: TelegramUser, courseId: string) {
  const message = await payWith(user, courseId, 'LTC');
  h.fake.blockUser(user.id);
  const paymentId = paymentIdOf(message);
  const before = deadDeliveries().length;
  expect(await h.provider.advance(paymentId, 'finished', { url: h.ipnUrl() })).toBe(200);
  await eventually(() => deadDeliveries().length === before + 1, 'the delivery gone dead', 10_000);
  return deadDeliveries()[0]!;
}

test('a refused delivery goes dead; the admin retries it from the bot once the buyer is back, and the file arrives', async () => {
  const course = await h.course({ title: 'Dead letters' });
  const buyer = h.fake.user({ language_code: 'en' });
  const job = await deadDelivery(buyer, course.id);
  expect(job).toMatchObject({ attempts: 1, lastError: expect.stringContaining('blocked') });
  const orderId = (JSON.parse(job.payload) as { orderId: string }).orderId;
  expect(h.orderStatus(orderId)).toBe('paid');

  const listed = await asAdmin('GET', '/api/admin/jobs');
  expect(listed.status).toBe(200);
  expect(listed.body.items[0]).toMatchObject({
    id: job.id,
    kind: 'deliver',
    status: 'dead',
    for: `deliver:${orderId}`,
    order_id: orderId,
    payload: { orderId },
    attempts: 1,
    last_error: expect.stringContaining('bot was blocked by the user'),
  });
  expect((await asAdmin('GET', '/api/admin/stats')).body.dead_jobs).toBe(1);

  const admin = h.fake.user({ id: ADMIN_ID, language_code: 'en' });
  await admin.send('/admin');
  await admin.waitForMessage(/Administration/);
  await admin.tap('⚰️ Dead jobs');
  await admin.waitForMessage(/Dead jobs: 1/);
  const card = await admin.waitForMessage(new RegExp(`Job #${job.id} · deliver · deliver:${orderId}`));
  expect(card.text).toContain('bot was blocked by the user');
  expect(admin.buttons(card.message_id)).toEqual([`🔁 Retry #${job.id}`, `🗑 Discard #${job.id}`]);

  h.fake.unblockUser(buyer.id);
  await admin.tap(`🔁 Retry #${job.id}`);
  await admin.waitForMessage(`🔁 Job #${job.id} is back in the queue.`);
  await eventually(() => h.orderStatus(orderId) === 'delivered', 'the order delivered', 10_000);
  expect(documentsTo(h.fake, buyer.id).map((c) => c.params.caption)).toEqual(['📘 Dead letters']);
  await eventually(() => h.app.queue.get(job.id)?.status === 'done', 'the job done');
  expect(h.app.queue.get(job.id)).toMatchObject({ status: 'done', attempts: 2 });
  expect(h.app.admin.audit.list({ action: 'job_retry' })[0]).toMatchObject({
    actor: `tg:${ADMIN_ID}`,
    target: `job:${job.id}`,
    details: { kind: 'deliver', for: `deliver:${orderId}` },
  });
  // The button again (stale): a polite conflict, nothing run twice.
  admin.pressData(card.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
  await admin.waitForMessage(/only a dead job can be changed; job \d+ is done/);
}, 30_000);

test('a discarded dead job leaves the list, the dead-jobs figure and the gauge; a second discard is 409', async () => {
  const course = await h.course({ title: 'Unwanted letters' });
  const job = await deadDelivery(h.fake.user({ language_code: 'fr' }), course.id);
  expect((await asAdmin('GET', '/api/admin/stats')).body.dead_jobs).toBe(1);
  expect(await deadGauge()).toBe(1);

  const discarded = await asAdmin('POST', `/api/admin/jobs/${job.id}/discard`);
  expect(discarded).toMatchObject({ status: 200, body: { id: job.id, kind: 'deliver', status: 'dead' } });
  expect((await asAdmin('GET', '/api/admin/jobs?status=dead')).body.items).toEqual([]);
  expect((await asAdmin('GET', '/api/admin/stats')).body.dead_jobs).toBe(0);
  expect(await deadGauge()).toBe(0);
  expect((await asAdmin('POST', `/api/admin/jobs/${job.id}/discard`)).status).toBe(404);
  expect((await asAdmin('POST', `/api/admin/jobs/${job.id}/retry`)).status).toBe(404);
  const done = (await asAdmin('GET', '/api/admin/jobs?status=done&limit=1')).body.items[0];
  expect((await asAdmin('POST', `/api/admin/jobs/${done.id}/retry`)).status).toBe(409);
  expect((await asAdmin('GET', '/api/admin/audit?action=job_discard')).body.items[0]).toMatchObject({
    actor: 'key:env',
    target: `job:${job.id}`,
    details: { kind: 'deliver', attempts: 1 },
  });
}, 30_000);

test('the dead-jobs screen speaks French, and says when there is none', async () => {
  const admin = h.fake.user({ id: FRENCH_ADMIN_ID, language_code: 'fr' });
  await admin.send('/admin');
  await admin.waitForMessage(/Administration/);
  await admin.tap('⚰️ Tâches mortes');
  await admin.waitForMessage('Aucune tâche morte. 🎉');
});
