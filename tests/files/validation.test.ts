/** What an upload may be called and what it may hold: names and magic bytes. */
import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { AppError } from '../../src/lib/errors.ts';
import { MAX_NAME_LENGTH, sanitizeName } from '../../src/modules/files/names.ts';
import { checkName, sniff } from '../../src/modules/files/validation.ts';

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => (typeof v === 'string' ? [...new TextEncoder().encode(v)] : [v])));
const ELF = bytes(0x7f, 'ELF', 2, 1, 1, 0, ...new Array(56).fill(0));
const PNG = bytes(
  0x89,
  'PNG\r\n\x1a\n',
  0,
  0,
  0,
  13,
  'IHDR',
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  1,
  8,
  6,
  0,
  0,
  0,
  0x1f,
  0x15,
  0xc4,
  0x89,
);
const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');

async function refusal(prefix: Uint8Array, filename: string): Promise<AppError> {
  const error = await sniff(prefix, checkName(filename)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal of ${filename}, got ${String(error)}`);
  expect(error.code).toBe('unsupported_media_type');
  return error;
}

describe('file names', () => {
  test('a path is never kept: its parts are joined into one name', () => {
    expect(sanitizeName('../../etc/passwd')).toBe('etc_passwd');
    expect(sanitizeName('..\\..\\Windows\\system.ini.txt')).toBe('Windows_system.ini.txt');
    expect(sanitizeName('/absolute/course.pdf')).toBe('absolute_course.pdf');
    expect(sanitizeName('C:\\Users\\ada\\notes.md')).toBe('C__Users_ada_notes.md');
  });

  test('leading dots, control characters and bidi overrides go; unicode stays (NFC)', () => {
    expect(sanitizeName('.htaccess.txt')).toBe('htaccess.txt');
    expect(sanitizeName('...  cours.pdf')).toBe('cours.pdf');
    expect(sanitizeName('a\u0000b\nc\u001b.txt')).toBe('abc.txt');
    expect(sanitizeName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeName('Cours – Développement été 🎓.pdf')).toBe('Cours – Développement été 🎓.pdf');
    expect(sanitizeName('Cafe\u0301.txt')).toBe('Café.txt');
    expect(sanitizeName('../..')).toBe('');
  });

  test('long names are cut to the limit, keeping the extension', () => {
    const name = sanitizeName(`${'é'.repeat(400)}.pdf`);
    expect([...name].length).toBe(MAX_NAME_LENGTH);
    expect(name.endsWith('é.pdf')).toBe(true);
  });

  test('property: whatever comes in, the result is one safe name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const name = sanitizeName(raw);
        expect(name).not.toMatch(/[/\\<>:"|?*\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
        expect(name.startsWith('.')).toBe(false);
        expect(name).not.toBe('..');
        expect([...name].length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
        expect(sanitizeName(name)).toBe(name);
      }),
      { numRuns: 500 },
    );
    // 500 runs of CPU work: seconds on a busy 2-core machine, not a hang.
  }, 30_000);
});

describe('the extension allow-list', () => {
  test.each(['course.pdf', 'book.epub', 'Lesson 1.MP4', 'slides.pptx', 'data.csv', 'photo.jpeg', 'pack.7z'])(
    '%s is accepted',
    (name) => {
      expect(checkName(name).format).toBeDefined();
    },
  );

  test('programs and scripts are refused by name, saying why', () => {
    for (const name of ['install.sh', 'setup.exe', 'run.bat', 'tool.py', 'app.js', 'page.html']) {
      const error = (() => {
        try {
          checkName(name);
        } catch (e) {
          return e as AppError;
        }
      })();
      expect(error?.code).toBe('unsupported_media_type');
      expect(error?.message).toContain('programs or scripts');
    }
  });

  test('unknown or missing extensions are refused with the list of accepted ones', () => {
    expect(() => checkName('model.blend')).toThrow(/not accepted; accepted: pdf, epub/);
    expect(() => checkName('README')).toThrow(/has no extension/);
    expect(() => checkName('../../')).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('magic bytes', () => {
  test('a .pdf holding an ELF binary is refused, naming what was found', async () => {
    const error = await refusal(ELF, 'course.pdf');
    expect(error.message).toBe('"course.pdf" holds an ELF executable; programs and scripts are never accepted');
  });

  test('Windows and Mach-O executables and #! scripts are refused under any name', async () => {
    expect((await refusal(bytes('MZ', 0x90, 0, 3, ...new Array(60).fill(0)), 'video.mp4')).message).toContain(
      'Windows executable',
    );
    expect((await refusal(bytes(0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1), 'notes.txt')).message).toContain('Mach-O');
    expect((await refusal(bytes('#!/bin/sh\nrm -rf ~\n'), 'notes.txt')).message).toContain('#! line');
    expect((await refusal(bytes(0xef, 0xbb, 0xbf, '#!/usr/bin/env python\n'), 'notes.md')).message).toContain(
      '#! line',
    );
  });

  test('binary content must match its extension', async () => {
    expect(await sniff(PDF, checkName('course.pdf'))).toBe('application/pdf');
    expect(await sniff(PNG, checkName('cover.png'))).toBe('image/png');
    expect((await refusal(PNG, 'course.pdf')).message).toBe(
      'the content of "course.pdf" does not match its extension: found png (image/png), expected .pdf',
    );
    expect((await refusal(bytes('just some words'), 'course.pdf')).message).toContain('no known file signature');
  });

  test('office documents and e-books are zip containers: zip content is accepted for them', async () => {
    const zip = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
    expect(await sniff(zip, checkName('slides.docx'))).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(await sniff(zip, checkName('book.epub'))).toBe('application/epub+zip');
    expect(await sniff(zip, checkName('exercises.zip'))).toBe('application/zip');
    expect((await refusal(zip, 'course.pdf')).message).toContain('found zip (application/zip)');
  });

  test('text must be UTF-8 without NUL bytes and without a binary signature', async () => {
    expect(await sniff(bytes('Leçon 1 : les portefeuilles\n'), checkName('notes.txt'))).toBe(
      'text/plain; charset=utf-8',
    );
    expect(await sniff(bytes('a,b\n1,2\n'), checkName('data.csv'))).toBe('text/csv; charset=utf-8');
    // A character cut in two at the end of the sniffed prefix is not an error.
    expect(await sniff(bytes('été', 0xc3), checkName('notes.md'))).toBe('text/markdown; charset=utf-8');
    expect((await refusal(bytes('abc', 0, 'def'), 'notes.txt')).message).toContain('NUL bytes');
    expect((await refusal(bytes('caf', 0xe9, ' latin-1'), 'notes.txt')).message).toContain('not valid UTF-8');
    expect((await refusal(PDF, 'notes.txt')).message).toBe(
      '"notes.txt" should be plain text but holds pdf (application/pdf)',
    );
  });
});
