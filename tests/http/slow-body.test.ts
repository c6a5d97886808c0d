/**
 * The body pace rule on real sockets, with BODY_TIMEOUT=1: each further
 * 16 KiB of a body must arrive within 1 s of waiting. A 300 MB upload at full speed under the
 * same setting is in tests/files/upload-stream.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/app.ts';
import { filesUnder } from '../support/upload.ts';

interface Trickled {
  /** Everything the server sent back. */
  answer: string;
  /** Bytes of body sent before the server closed the connection. */
  sent: number;
  /** What the test saw while the body was trickling, before the server cut it. */
  during: unknown;
}

/**
 * Sends `head`, then `first` at once, then one byte a second until the server closes the
 * connection (or 15 s pass). `whileTrickling` runs after the first byte trickled.
 */
function trickle(
  port: number,
  head: string,
  first: Uint8Array,
  whileTrickling: () => unknown = () => null,
): Promise<Trickled> {
  return new Promise((resolve, reject) => {
    let answer = '';
    let sent = first.length;
    let during: unknown;
    let timer: ReturnType<typeof setInterval> | undefined;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      socket.write(first);
      timer = setInterval(() => {
        if (socket.destroyed) return;
        socket.write('a');
        sent++;
        if (sent === first.length + 1) during = whileTrickling();
      }, 1000);
    });
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after 15 s; got: ${answer}`));
    }, 15_000);
    socket.on('data', (data) => (answer += data.toString()));
    socket.on('error', () => {}); // a write racing the server's close
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer, sent, during });
    });
  });
}

const bodyOf = (answer: string) =>
  JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
const metric = async (running: TestApp, line: RegExp) => {
  const text = await (await fetch(`${running.url}/metrics`)).text();
  return Number(line.exec(text)?.[1]);
};

describe('BODY_TIMEOUT=1: a trickled body is cut with 408, counted, and leaves nothing', () => {
  let running: TestApp;
  let port: number;
  beforeAll(async () => {
    running = await startTestApp({ env: { BODY_TIMEOUT: '1' } });
    port = Number(new URL(running.url).port);
  });
  afterAll(() => running.stop());

  test('a JSON body at 1 byte/s gets 408 and the connection is closed', async () => {
    const before = await metric(running, /^http_request_body_timeouts_total (\d+)$/m);
    const head = `POST /api/products HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const { answer, sent } = await trickle(port, head, new TextEncoder().encode('{"title":'));
    expect(answer).toStartWith('HTTP/1.1 408');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(bodyOf(answer).error.code).toBe('request_timeout');
    expect(sent).toBeLessThan(20); // cut after about a second of trickling, not Bun's ~30 s
    expect(await metric(running, /^http_request_body_timeouts_total (\d+)$/m)).toBe(before + 1);
  });

  test('an upload that slows to 1 byte/s is cut with 408 and its partial file removed', async () => {
    const dataFiles = () => filesUnder(join(running.dataDir, 'files'));
    const before = await metric(running, /^http_request_body_timeouts_total (\d+)$/m);
    // 100 KiB of text at once (the first 64 KiB decide the format), then a trickle.
    const first = new TextEncoder().encode('lesson one. '.repeat((100 * 1024) / 12));
    const head =
      `POST /api/upload?filename=notes.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n` +
      `Content-Length: ${first.length + 1000}\r\n\r\n`;
    const { answer, during } = await trickle(port, head, first, dataFiles);
    expect(during).not.toEqual([]); // the partial upload was on disk while it trickled
    expect(answer).toStartWith('HTTP/1.1 408');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(bodyOf(answer).error.code).toBe('request_timeout');
    expect(dataFiles()).toEqual([]);
    expect(await metric(running, /^http_request_body_timeouts_total (\d+)$/m)).toBe(before + 1);
    expect(await metric(running, /^file_uploads_total\{outcome="too_slow"\} (\d+)$/m)).toBe(1);
  });

  test('bodies at a normal pace pass under the same setting', async () => {
    const created = await running.call('POST', '/api/admin/api-keys', {
      key: ADMIN_KEY,
      body: { role: 'seller', seller_name: 'Quick shop' },
    });
    expect(created.status).toBe(201);
  });
});
