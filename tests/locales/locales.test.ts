/**
 * The texts of src/locales/: both languages hold the same keys and variables, every key the bot
 * and the modules use exists, every message formats, and the modules' plain-text notices read
 * as they did when they were written in code.
 */
import { describe, expect, test } from 'bun:test';
import { Glob } from 'bun';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { translate } from '../../src/locales/index.ts';

const SRC = join(import.meta.dir, '../../src');
const read = (name: string) => readFileSync(join(SRC, 'locales', name), 'utf8');
/** Message ids: a line starting with an identifier and `=` (terms and comments excluded). */
const keysOf = (source: string) => new Set([...source.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1]!));
/** Variables a message uses, `{ $name }` and selectors `{ $name -> ...`. */
const variablesOf = (source: string) => {
  const out = new Map<string, Set<string>>();
  let current = '';
  for (const line of source.split('\n')) {
    const start = /^([a-z][a-z0-9-]*)\s*=/.exec(line);
    if (start) current = start[1]!;
    for (const m of line.matchAll(/\{\s*\$([a-z]+)/g)) {
      if (!out.has(current)) out.set(current, new Set());
      out.get(current)!.add(m[1]!);
    }
  }
  return out;
};

const en = read('en.ftl');
const fr = read('fr.ftl');

describe('locales', () => {
  test('en.ftl and fr.ftl hold exactly the same keys, with the same variables', () => {
    expect([...keysOf(fr)].sort()).toEqual([...keysOf(en)].sort());
    expect(keysOf(en).size).toBeGreaterThan(40);
    const enVars = variablesOf(en);
    const frVars = variablesOf(fr);
    for (const key of keysOf(en))
      expect({ key, vars: [...(frVars.get(key) ?? [])].sort() }).toEqual({
        key,
        vars: [...(enVars.get(key) ?? [])].sort(),
      });
  });

  test('every key the code uses exists in both files', async () => {
    const used = new Set<string>();
    for await (const file of new Glob('{bot,modules}/**/*.ts').scan(SRC)) {
      const code = readFileSync(join(SRC, file), 'utf8');
      for (const m of code.matchAll(/\b(?:t|translate)\(\s*(?:[\w.]+\s*,\s*)?'([a-z][a-z0-9-]*)'/g)) used.add(m[1]!);
      // The bot's tables from a module's reason to its text: `already_owned: 'buy-already-owned'`.
      if (file.startsWith('bot/'))
        for (const m of code.matchAll(/^\s+[a-z_]+: '([a-z]+(?:-[a-z0-9]+)+)',$/gm)) used.add(m[1]!);
      for (const m of code.matchAll(/\bkey: '([a-z][a-z0-9-]*)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(40);
    const missing = (keys: Set<string>) => [...used].filter((key) => !keys.has(key));
    expect(missing(keysOf(en))).toEqual([]);
    expect(missing(keysOf(fr))).toEqual([]);
  });

  test('every message formats in both languages without a Fluent error', () => {
    const args = {
      name: 'Ada',
      seconds: 3,
      count: 2,
      average: '4.5',
      page: 2,
      max: 100,
      size: '1.5',
      query: 'bitcoin',
      seller: 'Ada',
      emoji: '💰',
      title: 'T',
      description: 'D',
      price: '$1',
      rating: 'r',
      file: 'PDF',
      sales: 3,
      id: 'TBF-2611-ABCDEF',
      // buy
      pages: 3,
      currency: 'BTC',
      amount: '0.00076',
      address: 'bc1qxyz',
      memo: '123',
      time: '58 min',
      minutes: 58,
      hours: 1,
      paid: '0.0003',
      missing: '0.0004',
      stars: 2450,
      // the modules' notices
      url: 'https://shop.example.com/d/t',
      // admin
      usage: '/ban USER-ID reason',
      message: 'm',
      method: 'stars',
      status: 'paid',
      note: 'n',
      balance: '-1.00 USD',
      courses: 2,
      user: 7,
      conversion: '66.7 %',
      states: 'paid 2',
      fees: '0.10 USD',
      users: 4,
      sellers: 1,
      tickets: 0,
      dead: 0,
      flagged: 0,
      topsellers: '#1 (2)',
      period: 'today',
      date: '2026-11-24',
      orders: 'ORD-1 paid',
      audience: 'everyone',
      total: 3,
      sent: 2,
      blocked: 1,
      failed: 0,
      done: 3,
      state: 'finished',
      left: 0,
      tx: 'ab12',
      // sellers
      min: 2,
      network: 'BTC',
      available: '$0.00',
      reason: 'r',
      pending: '$0.00',
      category: 'c',
      revenue: '$1',
      fee: '$1',
      net: '$1',
      key: 'tbk_x',
      created: '2026-01-01',
      used: '—',
      // my courses
      mark: '🟢',
      course: 'https://t.me/bot?start=p_TBF-2611-ABCDEF',
      shop: 'https://t.me/bot?start=s_1',
      share: '$1',
      // e-mails (modules/notify)
      order: 'ORD-2612-ABCD2345',
      download: 'https://shop.example.com/d/t',
      renew: 'https://shop.example.com/r',
      ticket: 7,
      reply: 'R',
      detail: 'D',
      // /email (a buyer's address for copies)
      email: 'buyer@example.org',
      // e-mail codes (h-verify)
      to: 'a***@example.org',
      tries: 4,
      code: '123456',
      what: 'both',
      // The operator's screens: dead jobs, orders, payment events, payout export
      shown: 1,
      kind: 'deliver',
      for: 'deliver:ORD-1',
      attempts: 1,
      error: 'E',
      why: 'W',
      job: 4,
      asked: '1',
      delivered: '—',
      buyer: '#1',
      flag: 'amount_mismatch',
      payment: '5077',
      from: '2026-11-01', // `to` is given above
    };
    for (const locale of ['en', 'fr']) {
      for (const key of keysOf(en)) {
        const text = translate(locale, key, args);
        expect(text).not.toContain(`{${key}}`);
        expect(text).not.toMatch(/\{\$|\u2068|\u2069/);
      }
    }
  });

  test('French is French: the same key reads differently', () => {
    expect(translate('fr', 'menu-browse')).toBe('🛍 Parcourir');
    expect(translate('en', 'menu-browse')).toBe('🛍 Browse');
    expect(translate('fr', 'rate-limited', { seconds: 1 })).toContain('une seconde');
  });
});

describe("locales: the modules' plain-text notices", () => {
  test('a sale and a file too large for Telegram read word for word as before, in both languages', () => {
    expect(translate('en', 'sale-notice', { title: 'Bitcoin from zero', amount: '$46.55' })).toBe(
      'You sold “Bitcoin from zero” — +$46.55',
    );
    expect(translate('fr', 'sale-notice', { title: 'Bitcoin', amount: '46,55 $US' })).toBe(
      'Vous avez vendu « Bitcoin » — +46,55 $US',
    );
    const args = { name: 'course.zip', size: '80 MB', url: 'https://shop.example.com/api/downloads/t0k3n' };
    expect(translate('en', 'file-too-large-link', args)).toBe(
      'Your file “course.zip” (80 MB) is too large to be sent through Telegram. ' +
        'You can download it from this personal link, valid for a limited time:\nhttps://shop.example.com/api/downloads/t0k3n',
    );
    expect(translate('fr', 'file-too-large-link', { ...args, size: '80 Mo' })).toBe(
      'Votre fichier « course.zip » (80 Mo) est trop volumineux pour être envoyé par Telegram. ' +
        'Vous pouvez le télécharger grâce à ce lien personnel, valable pour une durée limitée :\nhttps://shop.example.com/api/downloads/t0k3n',
    );
  });

  test('a language other than French reads English; an unknown key is an error, not a blank message', () => {
    expect(translate('de', 'sale-notice', { title: 'T', amount: '1' })).toBe(
      translate('en', 'sale-notice', { title: 'T', amount: '1' }),
    );
    expect(translate(null, 'menu-browse')).toBe('🛍 Browse');
    expect(() => translate('en', 'no-such-text')).toThrow('no text "no-such-text"');
  });
});
