import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Elysia, t } from 'elysia';
import { errorsPlugin } from '../../src/http/plugins/errors.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/app.ts';

type ErrorBody = { error: { code: string; message: string; details: unknown } };

describe('JSON routes read JSON and nothing else', () => {
  let running: TestApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running.stop());

  const createKey = (body: RequestInit['body'], contentType?: string) =>
    fetch(`${running.url}/api/admin/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(contentType ? { 'content-type': contentType } : {}) },
      body,
    });
  const answer = async (response: Response) => ({
    status: response.status,
    body: (await response.json()) as ErrorBody,
  });

  test('a form, multipart or urlencoded, is refused with 415 instead of being read as the body', async () => {
    const form = new FormData();
    form.set('role', 'admin');
    const multipart = await answer(await createKey(form));
    expect(multipart.status).toBe(415);
    expect(multipart.body.error).toMatchObject({
      code: 'unsupported_media_type',
      details: { content_type: 'multipart/form-data', accepted: ['application/json'] },
    });
    expect((await createKey('role=admin', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await createKey('{"role":"admin"}', 'text/plain')).status).toBe(415);
    expect((await createKey(new TextEncoder().encode('{"role":"admin"}'))).status).toBe(415);
  });

  test('text that is not JSON gets 400 saying why; JSON with a charset or a +json type is read', async () => {
    const bad = await answer(await createKey('{"role": "admin",', 'application/json'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect(bad.body.error.details).toEqual({ reason: expect.stringContaining('JSON') });
    expect((await createKey('{"role":"admin"}', 'application/json; charset=utf-8')).status).toBe(201);
    expect((await createKey('{"role":"admin"}', 'application/merge-patch+json')).status).toBe(201);
  });

  test('a body that breaks off before its Content-Length is a 400, whether read whole or chunk by chunk', async () => {
    // 100 bytes are read whole (at most one 16 KiB step of the pace rule); 20,000 chunk by chunk.
    for (const declared of [100, 20_000]) {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"role":'));
          controller.error(new Error('connection reset by peer'));
        },
      });
      const request = new Request(`${running.url}/api/admin/api-keys`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/json',
          'content-length': String(declared),
        },
        body,
      });
      const cut = await answer(await running.app.http.handle(request));
      expect(cut).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', message: 'the request body was interrupted before its end' } },
      });
    }
  });

  test('no body at all is a validation error on the body (422), whatever the content type', async () => {
    const missing = await answer(await createKey(undefined, 'application/json'));
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ in: 'body' })]);
  });
});

test('an answer that breaks its own response schema is a 500 (the server is wrong), not a 422', async () => {
  const app = new Elysia()
    .use(errorsPlugin(createLogger({ level: 'silent' })))
    .get('/broken', () => ({ id: 'not a number' }) as unknown as { id: number }, {
      response: t.Object({ id: t.Integer() }),
    });
  const response = await app.handle(new Request('http://localhost/broken'));
  expect(response.status).toBe(500);
  expect(((await response.json()) as ErrorBody).error.code).toBe('internal');
});
