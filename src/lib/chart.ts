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

export interface ChartRenderer {
  /** The chart as PNG bytes, `width` x `height` pixels (default 1000 x 500); a RangeError for impossible values. */
  render(input: ChartInput): Promise<Uint8Array>;
  /** Whether the worker thread is running (it ends `idleMs` after its last chart). */
  running(): boolean;
}

export function createChartRenderer({ idleMs = IDLE_MS }: { idleMs?: number } = {}): ChartRenderer {
  let worker: Worker | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  const waiting = new Map<number, PromiseWithResolvers<Uint8Array>>();

  function stop() {
    worker?.terminate();
    worker = undefined;
  }

  /** With nothing to wait for, the worker lets the process exit, and ends after `idleMs`. */
  function settle(id: number) {
    waiting.delete(id);
    if (waiting.size > 0 || !worker) return;
    worker.unref();
    idle = setTimeout(stop, idleMs);
    idle.unref();
  }

  function thread(): Worker {
    clearTimeout(idle);
    if (worker) return worker;
    const started = new Worker(workerUrl, { name: 'chart', smol: true });
    started.onmessage = ({ data }: MessageEvent<ChartReply>) => {
      const reply = waiting.get(data.id);
      if (!reply) return;
      if ('png' in data) reply.resolve(data.png);
      else reply.reject(new Error(`the chart could not be drawn: ${data.error}`));
      settle(data.id);
    };
    // A crashed worker fails the charts it had; the next chart starts a new one.
    started.onerror = (event) => {
      const failed = [...waiting.values()];
      waiting.clear();
      for (const reply of failed) reply.reject(new Error(`the chart worker failed: ${event.message}`));
      if (worker === started) stop();
    };
    return (worker = started);
  }

  return {
    async render(input) {
      const svg = buildChartSvg(input);
      const id = nextId++;
      const reply = Promise.withResolvers<Uint8Array>();
      waiting.set(id, reply);
      const target = thread();
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
