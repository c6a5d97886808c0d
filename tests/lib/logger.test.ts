/** No logged line holds a token or a key, wherever a URL or header ends up. */
import { describe, expect, test } from 'bun:test';
import { createLogger, writeLine } from '../../src/lib/logger.ts';

const KEY = 'tbk_AB23CD_s3cretKeyPart0123456789abcdef';
const TOKEN = 'q9Zr0-upl0adT0kenValue_abcdefghij';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJmIjoxfQ.c2lnbmF0dXJlX3ZhbHVl';
const NP_KEY = 'NPKEY-0000-1111-2222';

function capture(secretPaths = ['/api/downloads', '/upload']) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    secretPaths,
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, out: () => lines.join('') };
}

describe('the logger scrubs credentials from every line', () => {
  test('from URLs: credential query parameters and the secret segment of known paths', () => {
    const { logger, out } = capture();
    logger.error({ url: `http://shop.example/api/upload?filename=a.pdf&token=${TOKEN}` }, 'unhandled error');
    logger.warn({ url: `/api/upload?upload_token=${TOKEN}&api_key=${KEY}&sig=${TOKEN}` }, 'refused');
    logger.info(`GET https://shop.example/api/downloads/${JWT} answered 404`);
    logger.info({ link: `https://shop.example/upload/${TOKEN}#top` }, 'upload link sent');
    logger.error({ err: new Error(`fetch http://127.0.0.1:1/upload/${TOKEN}?token=${TOKEN} failed`) }, 'boom');
    const text = out();
    for (const secret of [TOKEN, KEY, JWT]) expect(text).not.toContain(secret);
    // What is not a credential stays readable.
    expect(text).toContain('/api/upload?filename=a.pdf&token=[redacted]');
    expect(text).toContain('/api/downloads/[redacted] answered 404');
    expect(text).toContain('/upload/[redacted]#top');
  });

  test('from headers, at any depth, and from bearer values written in a message', () => {
    const { logger, out } = capture();
    const headers = {
      authorization: `Bearer ${KEY}`,
      'x-api-key': NP_KEY,
      'x-upload-token': TOKEN,
      cookie: `session=${TOKEN}`,
      'x-nowpayments-sig': 'ab'.repeat(64),
      'content-type': 'application/json',
    };
    logger.info({ headers }, 'top level');
    logger.info({ req: { headers } }, 'one level down');
    logger.info({ err: { request: { config: { headers } } } }, 'deep in an error');
    logger.info({ headers: new Headers(headers) }, 'a Fetch Headers object');
    logger.warn(`retrying with Authorization: Bearer ${KEY}`);
    const text = out();
    for (const secret of [KEY, NP_KEY, TOKEN, 'ab'.repeat(64)]) expect(text).not.toContain(secret);
    expect(text).toContain('"content-type":"application/json"');
  });
});

describe('the lines themselves', () => {
  const lines = (level: 'debug' | 'warn' | 'silent') => {
    const out: string[] = [];
    const logger = createLogger({ level, destination: { write: (line: string) => void out.push(line) } });
    return { logger, out, parsed: () => out.map((line) => JSON.parse(line) as Record<string, unknown>) };
  };

  test('one JSON object per line: level number, time, app, the child bindings, the fields, msg; below the level nothing', () => {
    const { logger, out, parsed } = lines('warn');
    const child = logger.child({ component: 'notify' }).child({ job: 7 });
    child.info({ orderId: 'A' }, 'not written');
    child.warn({ orderId: 'B' }, 'written');
    logger.fatal('plain message');
    expect(out.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const [warn, fatal] = parsed();
    expect(Object.keys(warn!)).toEqual(['level', 'time', 'app', 'component', 'job', 'orderId', 'msg']);
    expect(warn).toMatchObject({
      level: 40,
      app: 'techbot',
      component: 'notify',
      job: 7,
      orderId: 'B',
      msg: 'written',
    });
    expect(Math.abs((warn!.time as number) - Date.now())).toBeLessThan(60_000);
    expect(fatal).toMatchObject({ level: 60, msg: 'plain message' });
    expect(parsed()).toHaveLength(2);
    const silent = lines('silent');
    silent.logger.fatal('nothing');
    expect(silent.out).toEqual([]);
  });

  test('errors keep type, message, stack, own fields and cause; cycles and bigints do not break a line; secrets go at any depth', () => {
    const { logger, parsed } = lines('debug');
    const error = Object.assign(new TypeError('bad input', { cause: new Error('root cause') }), { code: 'E_BAD' });
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    const shared = { n: 1 };
    logger.error({ err: error, loop, pair: [shared, shared], big: 10n, a: { b: { c: { token: 'tok-123456' } } } }, 'x');
    const [line] = parsed();
    expect(line!.err).toMatchObject({
      type: 'TypeError',
      message: 'bad input',
      code: 'E_BAD',
      cause: { type: 'Error', message: 'root cause' },
    });
    expect(String((line!.err as { stack: string }).stack)).toContain('TypeError: bad input');
    expect(line!.loop).toEqual({ name: 'loop', self: '[Circular]' });
    expect(line!.pair).toEqual([{ n: 1 }, { n: 1 }]);
    expect(line!.big).toBe('10');
    expect(line!.a).toEqual({ b: { c: { token: '[redacted]' } } });
  });
});

describe('writing to stdout', () => {
  test('a pipe that takes part of a line, or none while full, still gets the whole line; a closed one drops it', () => {
    const written: Buffer[] = [];
    let calls = 0;
    const pipe = ((_fd: number, bytes: Uint8Array) => {
      calls += 1;
      if (calls === 2) throw Object.assign(new Error('full'), { code: 'EAGAIN' });
      const taken = Math.min(3, bytes.length);
      written.push(Buffer.from(bytes.subarray(0, taken)));
      return taken;
    }) as unknown as typeof import('node:fs').writeSync;
    writeLine(1, '{"msg":"é"}\n', pipe);
    expect(Buffer.concat(written).toString()).toBe('{"msg":"é"}\n');
    const closed = (() => {
      throw Object.assign(new Error('closed'), { code: 'EPIPE' });
    }) as unknown as typeof import('node:fs').writeSync;
    expect(() => writeLine(1, 'lost\n', closed)).not.toThrow();
  });
});
