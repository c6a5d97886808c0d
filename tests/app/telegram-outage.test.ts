/**
 * The app's Telegram face (src/app/telegram.ts: the bot's start, its part of /ready) against a
 * Bot API that fails: unreachable at boot (backoff, /ready down, then 503 past the grace period),
 * gone while polling, refusing the profile calls or the webhook. Whole-app tests, over HTTP:
 * each runs its own app against its own fake Telegram, all of them side by side (most of their
 * time is waiting). A 429 is waited out: tests/bot/bot.test.ts.
 */
import { describe, expect, test } from 'bun:test';
import { TELEGRAM_DOWN_GRACE_MS } from '../../src/app/telegram.ts';
import { CONNECT_BACKOFF } from '../../src/bot/transport.ts';
import type { Sleep } from '../../src/lib/retry-forever.ts';
import { TelegramErrors } from '../fakes/telegram.ts';
import { eventually, startTestApp, type TestApp } from '../support/app.ts';

interface Component {
  status: string;
  detail?: string;
  since?: string;
  grace?: boolean;
}

async function readiness(h: TestApp): Promise<{ code: number; telegram: Component }> {
  const response = await fetch(`${h.url}/ready`);
  const body = (await response.json()) as { components: { telegram: Component } };
  return { code: response.status, telegram: body.components.telegram };
}

/** A sleep the test steps through: each wait stays pending until the test resumes it. */
function steppedSleep() {
  const waits: { ms: number; resume: () => void }[] = [];
  let arrived: (() => void) | undefined;
  const sleep: Sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      waits.push({ ms, resume: resolve });
      arrived?.();
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return {
    sleep,
    /** The bot's next wait, as soon as it starts waiting. */
    async next() {
      if (waits.length === 0) {
        let timer: Timer | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (arrived = resolve)),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error('timed out waiting for the bot to wait before trying again')),
              5000,
            );
          }),
        ]).finally(() => clearTimeout(timer));
        arrived = undefined;
      }
      return waits.shift()!;
    },
  };
}

/** Short real waits, for the tests that run an outage in real time (a second or so). */
const SHORT = { connectBackoff: { minMs: 20, maxMs: 100 }, profileBackoff: { minMs: 20, maxMs: 100 } };

describe.concurrent('bot: a Bot API unreachable at boot', () => {
  test('refused for 20 s: down with the reason meanwhile, back within 10 s of Telegram returning (production backoff, stepped clock)', async () => {
    const stepper = steppedSleep();
    const h = await startTestApp({
      telegram: { beforeStart: (fake) => fake.goOffline(), transport: { sleep: stepper.sleep } },
    });
    try {
      // The app started anyway (its API serves), and says why the bot is not there.
      const bootedAt = h.clock.now();
      const early = await readiness(h);
      expect(early.code).toBe(200);
      expect(early.telegram).toMatchObject({ status: 'down', detail: expect.stringMatching(/^getMe: /), grace: true });
      expect(Date.parse(early.telegram.since!)).toBe(bootedAt);
      expect(JSON.stringify(early)).not.toContain(h.fake.token);

      const OUTAGE_MS = 20_000;
      const backAt = bootedAt + OUTAGE_MS;
      const delays: number[] = [];
      while (h.clock.now() < backAt) {
        const wait = await stepper.next();
        delays.push(wait.ms);
        h.clock.advance(wait.ms);
        if (h.clock.now() >= backAt) h.fake.goOnline();
        else expect((await readiness(h)).telegram).toMatchObject({ status: 'down', since: early.telegram.since });
        wait.resume();
      }
      // Capped exponential backoff: never more than CONNECT_BACKOFF.maxMs between two tries.
      expect(delays).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
      expect(Math.max(...delays)).toBe(CONNECT_BACKOFF.maxMs);

      const user = h.fake.user({ first_name: 'Bea' });
      await user.send('/start');
      await user.waitForMessage(/Hello Bea/);
      const after = await readiness(h);
      expect(after.code).toBe(200);
      expect(after.telegram).toMatchObject({ status: 'up', detail: 'polling' });
      expect(Date.parse(after.telegram.since!) - backAt).toBeLessThanOrEqual(10_000);
    } finally {
      await h.stop();
    }
  });

  test('down past the grace period: /ready answers 503, and 200 once the bot is back', async () => {
    const stepper = steppedSleep();
    const h = await startTestApp({
      telegram: { beforeStart: (fake) => fake.goOffline(), transport: { sleep: stepper.sleep } },
    });
    try {
      const bootedAt = h.clock.now();
      let wait = await stepper.next();
      while (h.clock.now() - bootedAt <= TELEGRAM_DOWN_GRACE_MS) {
        h.clock.advance(wait.ms);
        wait.resume();
        wait = await stepper.next();
      }
      const failing = await readiness(h);
      expect(failing.code).toBe(503);
      expect(failing.telegram.status).toBe('down');
      expect(failing.telegram.grace).toBeUndefined();

      h.fake.goOnline();
      wait.resume();
      await eventually(async () => (await readiness(h)).code === 200, '/ready to answer 200');
      expect((await readiness(h)).telegram.status).toBe('up');
    } finally {
      await h.stop();
    }
  });
});

describe.concurrent('bot: a Bot API going away while the bot polls (real time, short backoff)', () => {
  test('getUpdates failing marks the bot down; it polls again when the API is back and answers what waited', async () => {
    const h = await startTestApp({ telegram: { transport: SHORT } });
    try {
      expect((await readiness(h)).telegram.status).toBe('up');
      await h.fake.waitForLongPoll('waiting');
      await h.fake.goOffline();
      await eventually(async () => (await readiness(h)).telegram.status === 'down', 'the bot to be seen down');
      expect((await readiness(h)).telegram.detail).toStartWith('getUpdates: ');
      const user = h.fake.user({ first_name: 'Cyd' });
      await user.send('/start');
      h.fake.goOnline();
      await user.waitForMessage(/Hello Cyd/);
      await eventually(async () => (await readiness(h)).telegram.status === 'up', 'the bot to be seen up');
      // Nothing handled twice: the offset survived the outage.
      expect(user.messages().filter((m) => m.text?.includes('Hello Cyd'))).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });
});

describe.concurrent('bot: a Bot API that refuses the cosmetic calls', () => {
  test('400 to setMyCommands and 404 to unknown methods: the bot serves anyway, says so, and sets them once accepted', async () => {
    const h = await startTestApp({
      telegram: {
        transport: SHORT,
        beforeStart(fake) {
          fake.failAlways('setMyCommands', TelegramErrors.badRequest('BOT_COMMANDS_TOO_MUCH'));
          fake.forgetMethods('setMyDescription', 'setMyShortDescription', 'setChatMenuButton');
        },
      },
    });
    try {
      const user = h.fake.user({ first_name: 'Dan' });
      await user.send('/start');
      await user.waitForMessage(/Hello Dan/);
      await eventually(() => h.fake.calls('setChatMenuButton').length >= 2, 'the profile to be tried again');
      const { code, telegram } = await readiness(h);
      expect(code).toBe(200);
      expect(telegram.status).toBe('up');
      expect(telegram.detail).toContain('setMyCommands(fr): 400 Bad Request: BOT_COMMANDS_TOO_MUCH');
      expect(telegram.detail).toContain('setChatMenuButton: 404 Not Found: method not found');
      expect(
        h.logs.some((line) => line.msg.startsWith('telegram bot profile not set') && line.call === 'setMyCommands'),
      ).toBe(true);

      h.fake.restore();
      await eventually(
        () => h.fake.commands(undefined, 'fr') !== undefined && h.fake.profile().menuButtons.size > 0,
        'the profile to be set',
      );
      await eventually(async () => (await readiness(h)).telegram.detail === 'polling', 'the profile failures to clear');
    } finally {
      await h.stop();
    }
  });

  test('webhook mode: a refused setWebhook is retried, shown meanwhile, and the bot is up once it passes', async () => {
    const h = await startTestApp({
      publicUrl: true,
      telegram: {
        transport: SHORT,
        beforeStart: (fake) =>
          fake.failAlways(
            'setWebhook',
            TelegramErrors.badRequest('bad webhook: An HTTPS URL must be provided for webhook'),
          ),
      },
    });
    try {
      const down = await readiness(h);
      expect(down.telegram).toMatchObject({
        status: 'down',
        detail: 'setWebhook: 400 Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
      });
      h.fake.restore();
      await eventually(() => h.fake.webhook() !== undefined, 'the webhook to be set');
      const user = h.fake.user({ first_name: 'Eli' });
      await user.send('/start');
      await user.waitForMessage(/Hello Eli/);
      expect((await readiness(h)).telegram.status).toBe('up');
    } finally {
      await h.stop();
    }
  });
});
