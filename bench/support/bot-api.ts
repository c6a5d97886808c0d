/**
 * The fake Telegram Bot API of tests/fakes/telegram (its core: chats, files, callback queries,
 * the recorded calls) served over HTTP on 127.0.0.1 for the bot and deliveries benches, without
 * the fake's own update delivery: the benches post updates to the webhook themselves, from a
 * separate load process, as Telegram would. `state` stays open so a bench can register the
 * callback queries it is about to send (the fake answers each known query once).
 */
import { createFakeCore } from '../../tests/fakes/telegram/core.ts';
import { errorResponse, parseRequest, TelegramErrors } from '../../tests/fakes/telegram/protocol.ts';

export async function startBenchBotApi(token: string) {
  const { state, dispatch, surface } = createFakeCore(
    { token },
    // Queued updates go nowhere: this fake never pushes one (the benches post them).
    { wake: () => undefined, runWebhookReply: async () => undefined },
  );
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request) => {
      const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(request.url).pathname);
      const { status, envelope, headers } = call
        ? await dispatch(() => parseRequest(request), call[1]!, call[2]!, request.signal)
        : errorResponse(TelegramErrors.notFound());
      return Response.json(envelope, { status, headers });
    },
  });
  return {
    ...surface,
    apiRoot: `http://127.0.0.1:${server.port}`,
    state,
    stop: () => server.stop(true),
  };
}

export type BenchBotApi = Awaited<ReturnType<typeof startBenchBotApi>>;
