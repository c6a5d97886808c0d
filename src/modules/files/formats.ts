/**
 * The course file formats the marketplace accepts, by extension: what `file-type` may find in
 * them, the media type they are served with, and whether they are already compressed (stored
 * as they are) or worth a gzip attempt.
 */
export interface Format {
  mime: string;
  /** `binary` content is recognised by its magic bytes; `text` must be plain UTF-8. */
  kind: 'binary' | 'text';
  /** What `file-type` may report for this format (its `ext` values). */
  detects: readonly string[];
  /** Already compressed: gzip would not pay, the bytes are stored as they are. */
  packed: boolean;
}

/** Containers that are zip archives inside (office documents, e-books). */
const ZIP_FAMILY = [
  'zip',
  'docx',
  'xlsx',
  'pptx',
  'epub',
  'odt',
  'ods',
  'odp',
  'odg',
  'ott',
  'ots',
  'otp',
  'otg',
  'vsdx',
  'potx',
  'xltx',
  'dotx',
  'xlsm',
  'docm',
  'dotm',
  'potm',
  'pptm',
  'ppsm',
  'ppsx',
  '3mf',
  'key',
  'numbers',
  'pages',
] as const;
/** ISO base media files: the brand decides which of these `file-type` reports. */
const ISO_MEDIA = ['mp4', 'm4v', 'mov', 'm4a', 'm4b', 'm4p', '3gp', '3g2', 'f4v', 'f4a', 'f4b', 'f4p'] as const;
const MATROSKA = ['mkv', 'webm'] as const;
const OGG = ['ogg', 'oga', 'ogv', 'ogx', 'opus', 'spx'] as const;

const binary = (mime: string, detects: readonly string[], packed = true): Format => ({
  mime,
  kind: 'binary',
  detects,
  packed,
});
const text = (mime: string): Format => ({ mime: `${mime}; charset=utf-8`, kind: 'text', detects: [], packed: false });
/** A zip-based document: `file-type` names it when the first entry gives it away, else says zip. */
const zipped = (ext: string, mime: string) => binary(mime, [ext, 'zip']);
const office = 'application/vnd.openxmlformats-officedocument';
const openDocument = 'application/vnd.oasis.opendocument';

export const FORMATS: Readonly<Record<string, Format>> = {
  // documents and e-books
  pdf: binary('application/pdf', ['pdf'], false),
  epub: zipped('epub', 'application/epub+zip'),
  mobi: binary('application/x-mobipocket-ebook', ['mobi'], false),
  docx: zipped('docx', `${office}.wordprocessingml.document`),
  xlsx: zipped('xlsx', `${office}.spreadsheetml.sheet`),
  pptx: zipped('pptx', `${office}.presentationml.presentation`),
  odt: zipped('odt', `${openDocument}.text`),
  ods: zipped('ods', `${openDocument}.spreadsheet`),
  odp: zipped('odp', `${openDocument}.presentation`),
  // archives
  zip: binary('application/zip', ZIP_FAMILY),
  rar: binary('application/vnd.rar', ['rar']),
  '7z': binary('application/x-7z-compressed', ['7z']),
  gz: binary('application/gzip', ['gz', 'tar.gz']),
  tgz: binary('application/gzip', ['gz', 'tar.gz']),
  tar: binary('application/x-tar', ['tar'], false),
  // video
  mp4: binary('video/mp4', ISO_MEDIA),
  m4v: binary('video/x-m4v', ISO_MEDIA),
  mov: binary('video/quicktime', ISO_MEDIA),
  mkv: binary('video/x-matroska', MATROSKA),
  webm: binary('video/webm', MATROSKA),
  avi: binary('video/vnd.avi', ['avi']),
  // audio
  mp3: binary('audio/mpeg', ['mp3']),
  m4a: binary('audio/mp4', ISO_MEDIA),
  aac: binary('audio/aac', ['aac']),
  ogg: binary('audio/ogg', OGG),
  opus: binary('audio/opus', OGG),
  flac: binary('audio/flac', ['flac']),
  wav: binary('audio/wav', ['wav'], false),
  // images
  jpg: binary('image/jpeg', ['jpg']),
  jpeg: binary('image/jpeg', ['jpg']),
  png: binary('image/png', ['png', 'apng']),
  gif: binary('image/gif', ['gif']),
  webp: binary('image/webp', ['webp']),
  // plain text
  txt: text('text/plain'),
  md: text('text/markdown'),
  csv: text('text/csv'),
  srt: text('application/x-subrip'),
};

/** Text that `file-type` recognises by a textual header; still plain text, still checked as such. */
export const TEXTUAL_DETECTIONS: ReadonlySet<string> = new Set(['xml', 'vtt', 'ics', 'vcf']);

/** Programs and installers, whatever extension they arrive under: always refused. */
export const EXECUTABLE_DETECTIONS: Readonly<Record<string, string>> = {
  elf: 'an ELF executable',
  exe: 'a Windows executable (PE/MZ)',
  macho: 'a Mach-O executable',
  class: 'a Java class file',
  jar: 'a Java archive (jar)',
  apk: 'an Android package (apk)',
  wasm: 'a WebAssembly module',
  crx: 'a browser extension (crx)',
  xpi: 'a browser extension (xpi)',
  deb: 'a Debian package',
  rpm: 'an RPM package',
  lnk: 'a Windows shortcut (lnk)',
  reg: 'a Windows registry file',
  swf: 'a Flash program (swf)',
  asar: 'an Electron archive (asar)',
};

/** Extensions of programs and scripts, named in the refusal so the seller knows why. */
export const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  'exe',
  'dll',
  'so',
  'dylib',
  'bin',
  'elf',
  'msi',
  'com',
  'scr',
  'cpl',
  'sys',
  'drv',
  'bat',
  'cmd',
  'ps1',
  'psm1',
  'vbs',
  'vbe',
  'js',
  'mjs',
  'cjs',
  'jse',
  'wsf',
  'wsh',
  'hta',
  'sh',
  'bash',
  'zsh',
  'ksh',
  'csh',
  'fish',
  'command',
  'py',
  'pyc',
  'pyw',
  'pl',
  'rb',
  'php',
  'lua',
  'tcl',
  'jar',
  'apk',
  'app',
  'deb',
  'rpm',
  'dmg',
  'pkg',
  'run',
  'appimage',
  'lnk',
  'reg',
  'desktop',
  'jsp',
  'asp',
  'aspx',
  'cgi',
  'applescript',
  'html',
  'htm',
  'svg',
  'xhtml',
]);

export const ACCEPTED_EXTENSIONS = Object.keys(FORMATS);
