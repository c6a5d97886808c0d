/** Longest stored file name, in characters (extension included). */
export const MAX_NAME_LENGTH = 200;
const MAX_EXTENSION_LENGTH = 16;

/** C0/C1 controls, and the bidi overrides that make `gpj.exe` display as `exe.jpg`. */
const CONTROLS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** Characters no common file system accepts in a name. */
const RESERVED = /[<>:"|?*]/g;

/**
 * A name safe to show and to send back in `Content-Disposition`, never a path: directory
 * parts are joined with `_` (`../../etc/passwd` -> `etc_passwd`), controls dropped, leading
 * dots and spaces removed, the length capped with the extension kept. Unicode is kept (NFC).
 */
export function sanitizeName(raw: string): string {
  const parts = raw
    .normalize('NFC')
    .replace(CONTROLS, '')
    .split(/[/\\]+/)
    .map((part) => part.replace(RESERVED, '_').trim())
    .filter((part) => part !== '' && !/^\.+$/.test(part));
  const joined = parts
    .join('_')
    .replace(/^[.\s_]+/, '')
    .replace(/[.\s]+$/, '')
    .replace(/\s+/g, ' ');
  return capLength(joined);
}

/** The lower-cased extension of a (sanitised) name, or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  return name.slice(dot + 1).toLowerCase();
}

function capLength(name: string): string {
  if ([...name].length <= MAX_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const suffix = dot > 0 && name.length - dot - 1 <= MAX_EXTENSION_LENGTH ? name.slice(dot) : '';
  const stem = [...name.slice(0, name.length - suffix.length)]
    .slice(0, MAX_NAME_LENGTH - [...suffix].length)
    .join('')
    .replace(/[.\s]+$/, '');
  return `${stem}${suffix}`;
}
