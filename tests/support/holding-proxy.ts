/**
 * A real HTTP proxy in front of the fake NOWPayments that can keep an answer back: the request
 * reaches the fake (which acts on it) but the app never hears the answer, as when the network
 * loses it. The app's own timeout then decides.
 */
export interface HoldingProxy {
  readonly url: string;
  /** From now on, answers to `method path` are held until release() (or stop()). */
  hold(method: string, path: string): void;
  release(): void;
  stop(): Promise<void>;
}

export function startHoldingProxy(target: string): HoldingProxy {
  let rule: { method: string; path: string } | null = null;
  let gate = Promise.withResolvers<void>();
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      headers.delete('host');
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers, body });
      const answer = await upstream.arrayBuffer();
      if (rule && rule.method === request.method && rule.path === url.pathname) await gate.promise;
      const kept = new Headers();
      for (const name of ['content-type', 'retry-after']) {
        const value = upstream.headers.get(name);
        if (value !== null) kept.set(name, value);
      }
      return new Response(answer, { status: upstream.status, headers: kept });
    },
  });
  const release = () => {
    rule = null;
    gate.resolve();
    gate = Promise.withResolvers<void>();
  };
  return {
    url: `http://127.0.0.1:${server.port}`,
    hold: (method, path) => void (rule = { method, path }),
    release,
    async stop() {
      release();
      await server.stop(true);
    },
  };
}
