/** The chart worker's thread: SVG documents in, PNG bytes out (chart.ts posts, chart-engine.ts draws). */
import { svgToPng } from './chart-engine.ts';
import { lowerThreadPriority } from './thread-priority.ts';

export interface ChartRequest {
  id: number;
  svg: string;
}

export type ChartReply = { id: number; png: Uint8Array } | { id: number; error: string };

declare const self: Worker;
// A chart is never urgent: the event loop, answering every request, wins the CPU.
lowerThreadPriority();

self.onmessage = async ({ data }: MessageEvent<ChartRequest>) => {
  let reply: ChartReply;
  try {
    reply = { id: data.id, png: await svgToPng(data.svg) };
  } catch (error) {
    reply = { id: data.id, error: error instanceof Error ? error.message : String(error) };
  }
  // The PNG's memory moves to the event loop's thread instead of being copied.
  self.postMessage(reply, 'png' in reply ? [reply.png.buffer as ArrayBuffer] : []);
};
