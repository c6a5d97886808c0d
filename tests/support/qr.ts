/**
 * Reads a PNG QR code the way a wallet's camera would, with decoders that are not ours: pngjs
 * (which also checks every chunk's CRC) for the pixels, jsQR for the code.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export function readQr(png: Uint8Array): { text: string; width: number; height: number } {
  const image = PNG.sync.read(Buffer.from(png));
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error('no QR code found in the picture');
  return { text: code.data, width: image.width, height: image.height };
}
