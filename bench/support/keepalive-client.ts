/**
 * Child process of bench/connections.bench.ts: opens `count` keep-alive HTTP/1.1 connections to
 * 127.0.0.1:`port`, 100 at a time; on each sends one GET `path` and reads the whole answer, then
 * keeps the socket open. Prints one JSON line `{ ok, refused, failed }` once every connection
 * answered (ok = status 200 with `body`), then on each line read from stdin prints
 * `{ open }` (how many are still open); exits when stdin closes.
 *   bun keepalive-client.ts <port> <count> <path> <body>
 */
import type { Socket } from 'bun';

const [port = '0', count = '0', path = '/health', body = ''] = process.argv.slice(2);
const BATCH = 100;
const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;
const tally = { ok: 0, refused: 0, failed: 0 };
let open = 0;

/** The status and body once a whole answer (headers and Content-Length bytes) has arrived. */
function answer(text: string): { status: number; body: string } | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
  if (text.length < end + 4 + length) return undefined;
  return { status: Number(text.slice(9, 12)), body: text.slice(end + 4, end + 4 + length) };
}

function connect(): Promise<void> {
  return new Promise((resolve) => {
    let received = '';
    let answered = false;
    const settle = (outcome: keyof typeof tally) => {
      if (answered) return;
      answered = true;
      tally[outcome]++;
      resolve();
    };
    Bun.connect({
      hostname: '127.0.0.1',
      port: Number(port),
      socket: {
        open(socket: Socket) {
          open++;
          socket.write(request);
        },
        data(_socket, data) {
          received += data.toString();
          const reply = answer(received);
          if (reply) settle(reply.status === 200 && reply.body === body ? 'ok' : 'refused');
        },
        close() {
          open--;
          settle('failed');
        },
        error() {
          settle('failed');
        },
      },
    }).catch(() => settle('failed'));
  });
}

for (let started = 0; started < Number(count); started += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, Number(count) - started) }, connect));
}
console.log(JSON.stringify(tally));
for await (const _line of console) console.log(JSON.stringify({ open }));
process.exit(0);
