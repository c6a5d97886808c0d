/**
 * SVG to PNG with resvg compiled to WebAssembly and the Roboto font, both embedded in the
 * compiled binary: no native module, no system font, nothing read from disk outside the binary.
 * Runs in the chart worker (chart-worker.ts), never on the event loop.
 *
 * The engine (2.5 MB of WebAssembly, two 160 kB fonts) is read and compiled on the first render
 * and kept for the life of the worker: resvg's initWasm can run once per thread only (a second
 * call throws), so this one piece of module state is on purpose.
 */
import wasmPath from '@resvg/resvg-wasm/index_bg.wasm' with { type: 'file' };
import regularFontPath from '@expo-google-fonts/roboto/400Regular/Roboto_400Regular.ttf' with { type: 'file' };
import boldFontPath from '@expo-google-fonts/roboto/700Bold/Roboto_700Bold.ttf' with { type: 'file' };
import { FONT_FAMILY } from './chart-svg.ts';

interface Engine {
  Resvg: typeof import('@resvg/resvg-wasm')['Resvg'];
  fonts: Uint8Array[];
}

let engine: Promise<Engine> | undefined;

/** Loads once; a failure here means the binary lacks its assets, and every render reports it. */
function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const resvg = await import('@resvg/resvg-wasm');
    const [wasm, ...fonts] = await Promise.all(
      [wasmPath, regularFontPath, boldFontPath].map(async (path) => new Uint8Array(await Bun.file(path).arrayBuffer())),
    );
    await resvg.initWasm(wasm!);
    return { Resvg: resvg.Resvg, fonts };
  })();
  return engine;
}

/** The PNG bytes of an SVG document drawn with the embedded fonts. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg, fonts } = await loadEngine();
  const resvg = new Resvg(svg, {
    font: { fontBuffers: fonts, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  // Both live in WebAssembly memory, which the JS garbage collector does not see: freed here.
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
