/**
 * Child process of the files bench (never imported): the ceiling. A bare Bun.serve on
 * 127.0.0.1:$PORT that does nothing but move bytes between HTTP and files under $RAW_DIR:
 *   POST /upload?name=<n>  streams the request body into RAW_DIR/<n> with Bun's FileSink
 *                          (no hashing, no compression, no validation) -> 201 {"size":...}
 *   GET  /file?name=<n>    answers Bun.file(RAW_DIR/<n>) (sendfile, Content-Length)
 *   GET  /health           200 {"status":"ok"}, as the app answers it
 * Usage: PORT=<port> RAW_DIR=<dir> bun raw-file-server.ts
 */
import { join } from 'node:path';

const dir = process.env.RAW_DIR;
const port = Number(process.env.PORT);
if (!dir || !(port > 0)) throw new Error('RAW_DIR and PORT are required');

const pathOf = (url: URL) => {
  const name = url.searchParams.get('name') ?? '';
  return /^[\w.-]{1,100}$/.test(name) && !name.startsWith('.') ? join(dir, name) : undefined;
};

async function receive(body: ReadableStream<Uint8Array>, path: string): Promise<number> {
  // The same FileSink buffer size as the app's receiver; the sink flushes itself when it fills.
  const sink = Bun.file(path).writer({ highWaterMark: 1024 * 1024 });
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    sink.write(chunk);
  }
  await sink.end();
  return size;
}

Bun.serve({
  port,
  hostname: '127.0.0.1',
  // Bun's default cap is 128 MB; the bench sends 200 MB bodies.
  maxRequestBodySize: Number.MAX_SAFE_INTEGER,
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/health') return Response.json({ status: 'ok' });
    const path = pathOf(url);
    if (!path) return new Response('bad name', { status: 400 });
    if (request.method === 'POST' && url.pathname === '/upload' && request.body) {
      return Response.json({ size: await receive(request.body, path) }, { status: 201 });
    }
    if (request.method === 'GET' && url.pathname === '/file') return new Response(Bun.file(path));
    return new Response('not found', { status: 404 });
  },
});
