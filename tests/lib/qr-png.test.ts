/**
 * The QR code PNG a buyer scans to pay: read back by independent decoders (pngjs, jsQR), for the
 * payment URIs the bot shows, at the size asked for.
 */
import { describe, expect, test } from 'bun:test';
import { qrPng } from '../../src/lib/qr-png.ts';
import { readQr } from '../support/qr.ts';

describe('qrPng', () => {
  test.each([
    'bitcoin:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh?amount=0.00123456',
    'ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed?value=0.0421',
    'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE',
    'x',
  ])('%s reads back as itself', (uri) => {
    const png = qrPng(uri);
    const read = readQr(png);
    expect(read.text).toBe(uri);
    // The largest whole number of pixels per module within 480 px, and never a sliver.
    expect(read.width).toBe(read.height);
    expect(read.width).toBeLessThanOrEqual(480);
    expect(read.width).toBeGreaterThan(400);
  });

  test('a width too small for one pixel per module still gives a readable code, one pixel per module', () => {
    const uri = 'bitcoin:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh?amount=0.00123456';
    const png = qrPng(uri, { width: 10, margin: 4 });
    const read = readQr(png);
    expect(read.text).toBe(uri);
    expect(read.width).toBeLessThan(60);
  });

  test('a long text needs more modules: the same size, still read back', () => {
    const long = `bitcoin:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh?amount=0.00123456&label=${'a'.repeat(300)}`;
    expect(readQr(qrPng(long)).text).toBe(long);
  });
});
