/**
 * Renders the daily bar + line chart of src/lib/chart-svg.ts to PNG in a worker thread
 * (chart-worker.ts, drawing with chart-engine.ts). On the event loop, the first chart of a
 * process held every request and bot update for ~150 ms at a stretch (2.5 MB of WebAssembly
 * compiled, then run cold) and each later one for ~20 ms; with the worker, the loop's largest
 * lag over three renders is 5 ms (152-162 ms before; a 5 ms interval timer, 3 runs each). The
 * worker starts with the first chart and ends a minute after the last: the engine kept ~42 MB
 * in the process for good; now ~57 MB while the worker lives, ~35 MB once it has ended.
 * `bun build --compile` must list chart-worker.ts as an entry point (see package.json "build").
 */
import { buildChartSvg, type ChartInput } from './chart-svg.ts';
import type { ChartReply, ChartRequest } from './chart-worker.ts';

export type { ChartDay, ChartInput } from './chart-svg.ts';

/** From source, next to this file; in the compiled binary, relative to its src/ root (as the other workers). */
const workerUrl = Bun.isStandaloneExecutable
  ? new URL('lib/chart-worker.ts', import.meta.url).href
  : new URL('./chart-worker.ts', import.meta.url).href;

const IDLE_MS = 60_000;
/** A first chart takes ~250 ms, later ones ~20: a worker silent this long is stuck (out of memory, say). */
const RENDER_TIMEOUT_MS = 30_000;

export interface ChartRenderer {
  /** The chart as PNG bytes, `width` x `height` pixels (default 1000 x 500); a RangeError for impossible values. */
  render(input: ChartInput): Promise<Uint8Array>;
  /** Whether the worker thread is running (it ends `idleMs` after its last chart). */
  running(): boolean;
}

interface Pending {
  reply: PromiseWithResolvers<Uint8Array>;
  timeout: ReturnType<typeof setTimeout>;
}

export interface ChartRendererOptions {
  idleMs?: number;
  timeoutMs?: number;
  /** The worker's module (chart-worker.ts unless a test brings a misbehaving one). */
  url?: string;
}

export function createChartRenderer({
  idleMs = IDLE_MS,
  timeoutMs = RENDER_TIMEOUT_MS,
  url = workerUrl,
}: ChartRendererOptions = {}): ChartRenderer {
  let worker: Worker | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  const waiting = new Map<number, Pending>();

  function stop() {
    worker?.terminate();
    worker = undefined;
  }

  /** With nothing to wait for, the worker lets the process exit, and ends after `idleMs`. */
  function settle(id: number) {
    clearTimeout(waiting.get(id)?.timeout);
    waiting.delete(id);
    if (waiting.size > 0 || !worker) return;
    worker.unref();
    idle = setTimeout(stop, idleMs);
    idle.unref();
  }

  /**
   * A worker that crashed, ended or stopped answering fails the charts it had and is dropped;
   * the next chart starts a new one. A worker already replaced fails nothing of its successor's.
   */
  function fail(which: Worker, why: string) {
    if (worker !== which) return;
    stop();
    const failed = [...waiting.values()];
    waiting.clear();
    for (const { reply, timeout } of failed) {
      clearTimeout(timeout);
      reply.reject(new Error(why));
    }
  }

  function thread(): Worker {
    clearTimeout(idle);
    if (worker) return worker;
    const started = new Worker(url, { name: 'chart', smol: true });
    started.onmessage = ({ data }: MessageEvent<ChartReply>) => {
      const pending = waiting.get(data.id);
      if (!pending) return;
      if ('png' in data) pending.reply.resolve(data.png);
      else pending.reply.reject(new Error(`the chart could not be drawn: ${data.error}`));
      settle(data.id);
    };
    started.onerror = (event) => fail(started, `the chart worker failed: ${event.message}`);
    // Ended without an error (process.exit in it, say): what was posted to it would never be answered.
    started.addEventListener('close', () => fail(started, 'the chart worker ended'));
    return (worker = started);
  }

  return {
    async render(input) {
      const svg = buildChartSvg(input);
      const target = thread();
      const id = nextId++;
      const reply = Promise.withResolvers<Uint8Array>();
      const timeout = setTimeout(() => fail(target, `the chart worker gave no answer in ${timeoutMs} ms`), timeoutMs);
      timeout.unref();
      waiting.set(id, { reply, timeout });
      target.ref();
      target.postMessage({ id, svg } satisfies ChartRequest);
      return reply.promise;
    },
    running: () => worker !== undefined,
  };
}

const shared = createChartRenderer();

/** The chart as PNG bytes, drawn by the process's one chart worker. */
export const renderChartPng = (input: ChartInput): Promise<Uint8Array> => shared.render(input);
