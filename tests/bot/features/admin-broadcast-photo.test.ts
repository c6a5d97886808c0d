/**
 * A broadcast with a photo (in process): the operator sends a photo whose caption is
 * `/broadcast <text>` (the command in caption_entities, as Telegram marks it); the preview is
 * the photo; once sent, the fake Bot API got one sendPhoto of that picture with the caption
 * (HTML) for each recipient, and each of them sees it.
 */
import { expect, test } from 'bun:test';
import { useAdminBot } from '../../support/admin.ts';

const ADMIN_ID = 777_701;
const kit = useAdminBot(ADMIN_ID);
const caption = '<b>Spring sale:</b> every course at half price';

test('a photo broadcast reaches every recipient as sendPhoto with the caption', async () => {
  const users = [
    kit.h.fake.user({ language_code: 'en' }),
    kit.h.fake.user({ language_code: 'fr' }),
    kit.h.fake.user({ language_code: 'en' }),
  ];
  for (const user of users) {
    await user.send('/start');
    await user.waitForMessage(/👋/);
  }
  const picture = crypto.getRandomValues(new Uint8Array(2048));
  const sent = await kit.admin.sendPhoto(picture, `/broadcast ${caption}`);
  const fileId = sent.photo!.at(-1)!.file_id;
  await kit.admin.waitForMessage(/Broadcast #\d+ — audience: everyone, 4 recipient\(s\)/);
  // The preview: the picture with its caption, formatted.
  expect(kit.admin.photos().at(-1)).toMatchObject({
    file_id: fileId,
    caption: 'Spring sale: every course at half price',
  });

  const before = kit.h.fake.calls('sendPhoto').length;
  await kit.admin.tap('✅ Send to 4');
  await kit.admin.waitForMessage(/0 \/ 4/);
  await kit.h.app.queue.runDue();
  await kit.h.fake.idle();

  const calls = kit.h.fake.calls('sendPhoto').slice(before);
  expect(calls.map((c) => String(c.params.chat_id)).sort()).toEqual(
    [...users.map((u) => u.id), ADMIN_ID].map(String).sort(),
  );
  for (const call of calls) {
    expect(call.params).toMatchObject({ photo: fileId, caption, parse_mode: 'HTML' });
    expect(call.response.ok).toBe(true);
  }
  for (const user of users)
    expect(user.photos().map((p) => [p.file_id, p.caption])).toEqual([
      [fileId, 'Spring sale: every course at half price'],
    ]);
  expect(kit.admin.messages().some((m) => /finished: sent 4, blocked 0, failed 0/.test(m.text ?? ''))).toBe(true);
});

test('a photo captioned with an admin command from anyone else is refused, logged and audited; nothing drafted', async () => {
  const intruder = kit.h.fake.user({ language_code: 'en' });
  const drafts = kit.h.app.admin.broadcasts.list().length;
  await intruder.sendPhoto(new Uint8Array(64), '/broadcast free courses for all');
  await intruder.waitForMessage("Sorry, this is for the marketplace's administrators only.");
  expect(kit.h.app.admin.broadcasts.list()).toHaveLength(drafts);
  expect(kit.h.app.admin.audit.list({ action: 'access_denied', limit: 1 })[0]).toMatchObject({
    actor: `tg:${intruder.id}`,
    target: '/broadcast',
  });
});
