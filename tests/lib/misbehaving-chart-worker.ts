/**
 * A chart worker that goes wrong on purpose (tests/lib/chart.test.ts): a chart titled "exit"
 * ends the thread at once; any other is never answered.
 */
import type { ChartRequest } from '../../src/lib/chart-worker.ts';

declare const self: Worker;

self.onmessage = ({ data }: MessageEvent<ChartRequest>) => {
  if (data.svg.includes('>exit<')) process.exit(0);
};
