/**
 * A real HTTP proxy that can stop requests BEFORE they reach the upstream: a held request has
 * been sent in full by the client (which now waits for the answer) but the upstream has not
 * seen it. Released requests go on; dropped ones never arrive. Unlike the HoldingProxy of
 * shop.ts, which lets the upstream act and keeps back only its answer.
 */
export interface Gate {
  readonly url: string;
  /** From now on, requests whose path matches wait at the gate. */
  hold(path: RegExp): void;
  /** Requests waiting at the gate now. */
  held(): number;
  /** Lets the waiting requests through and stops holding. */
  release(): void;
  /** Answers the waiting requests 502 without forwarding them, and stops holding. */
  drop(): void;
  stop(): Promise<void>;
}

export function startGate(target: string): Gate {
  let rule: RegExp | null = null;
  let waiting: ((forward: boolean) => void)[] = [];
  const settle = (forward: boolean) => {
    rule = null;
    const now = waiting;
    waiting = [];
    for (const resolve of now) resolve(forward);
  };
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    // A held request is idle for as long as the test wants.
    idleTimeout: 0,
    maxRequestBodySize: 128 * 1024 * 1024,
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      if (rule?.test(url.pathname)) {
        const forward = await new Promise<boolean>((resolve) => waiting.push(resolve));
        if (!forward) return new Response('dropped at the gate', { status: 502 });
      }
      const headers = new Headers(request.headers);
      headers.delete('host');
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers, body });
      const kept = new Headers();
      for (const name of ['content-type', 'retry-after']) {
        const value = upstream.headers.get(name);
        if (value !== null) kept.set(name, value);
      }
      return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: kept });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    hold: (path) => void (rule = path),
    held: () => waiting.length,
    release: () => settle(true),
    drop: () => settle(false),
    async stop() {
      settle(false);
      await server.stop(true);
    },
  };
}
