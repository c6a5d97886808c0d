/**
 * A QR code as a black and white PNG. qrcode computes the modules; the PNG is written here, one
 * bit per pixel (26 kB before compression for a 480 px code, against 920 kB of RGBA): qrcode's own
 * PNG output (pngjs) held the event loop 20 ms per crypto payment; this takes ~2 ms, half of it
 * qrcode's matrix (a loop of 50 payment URIs, warm). fflate deflates it: node:zlib costs 13 ms to
 * load. Read back by independent decoders in tests/lib/qr-png.test.ts.
 */
import { zlibSync } from 'fflate';
import QRCode from 'qrcode';

export interface QrPngOptions {
  /** Error correction: 'M' recovers ~15% of a damaged code. */
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  /** Quiet zone around the code, in modules (the standard asks for 4; 2 scans well on screens). */
  margin?: number;
  /** Wanted width in pixels: the largest whole number of pixels per module that fits, at least 1. */
  width?: number;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function qrPng(
  text: string,
  { errorCorrectionLevel = 'M', margin = 2, width = 480 }: QrPngOptions = {},
): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel });
  const count = modules.size + 2 * margin;
  const scale = Math.max(1, Math.floor(width / count));
  const side = count * scale;
  const rowBytes = Math.ceil(side / 8);
  // Each row: the filter byte (0, none), then the pixels, 1 bit each, 0 = black, 1 = white. A
  // row of modules is drawn once, then copied for each of its `scale` rows of pixels.
  const stride = rowBytes + 1;
  const raw = new Uint8Array(stride * side);
  const line = new Uint8Array(stride);
  for (let my = 0; my < count; my++) {
    line.fill(0xff, 1);
    const y = my - margin;
    if (y >= 0 && y < modules.size) {
      for (let mx = 0; mx < modules.size; mx++) {
        if (!modules.get(y, mx)) continue;
        for (let x = (mx + margin) * scale, end = x + scale; x < end; x++) line[1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
      }
    }
    for (let r = 0; r < scale; r++) raw.set(line, (my * scale + r) * stride);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** A PNG chunk: length, type, data, then the CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, Bun.hash.crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}
