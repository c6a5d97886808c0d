import { escapeHtml, fill, jsonForScript, type PageLanguage } from './html.ts';
import { UPLOAD_SCRIPT } from './upload-script.ts';
import { uploadText } from './upload-text.ts';

/**
 * The page a seller opens from a one-time upload link (GET /upload/{token}), embedded in the
 * binary: inline style and script under a nonce, no external asset, system fonts, phone first.
 */

const STYLE = `
:root{color-scheme:light dark;--bg:#f3f4f6;--card:#fff;--text:#1b1f24;--muted:#5b6270;--line:#d6dae1;
--accent:#2459d6;--accent-ink:#fff;--accent-soft:#eaf0fd;--ok:#146c34;--ok-soft:#e7f5ec;--bad:#b42318;
--bad-soft:#fdeceb;--note-soft:#fdf5e1}
@media (prefers-color-scheme:dark){:root{--bg:#111318;--card:#1a1d24;--text:#e8eaee;--muted:#a3aab6;
--line:#353b47;--accent:#6d98ff;--accent-ink:#0b1020;--accent-soft:#1b2640;--ok:#5ad98a;--ok-soft:#13281b;
--bad:#ff8a80;--bad-soft:#3a1b1a;--note-soft:#332a10}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;min-height:100vh;background:var(--bg);color:var(--text);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
display:flex;justify-content:center;align-items:flex-start;padding:clamp(12px,5vw,56px) 12px}
main{width:100%;max-width:560px;background:var(--card);border:1px solid var(--line);border-radius:18px;
padding:clamp(20px,5vw,32px);box-shadow:0 1px 2px rgb(0 0 0/.04),0 10px 30px rgb(0 0 0/.06)}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}
p{margin:0}
.lead{color:var(--muted);margin-bottom:1.25rem}
.drop{display:flex;flex-direction:column;align-items:center;justify-content:center;gap:.5rem;text-align:center;
min-height:200px;padding:24px 16px;border:2px dashed var(--line);border-radius:14px;cursor:pointer;
transition:border-color .15s,background-color .15s}
.drop:hover,.drop.over{border-color:var(--accent);background:var(--accent-soft)}
.drop:focus-within{outline:3px solid var(--accent);outline-offset:2px}
.drop.busy{opacity:.5;pointer-events:none}
.drop svg{width:44px;height:44px;color:var(--accent)}
.button{display:inline-flex;align-items:center;justify-content:center;min-height:48px;min-width:48px;padding:0 24px;
border-radius:12px;border:1px solid transparent;background:var(--accent);color:var(--accent-ink);font:inherit;
font-weight:600;cursor:pointer}
.button.secondary{background:transparent;color:var(--text);border-color:var(--line);width:100%}
.button.secondary:hover{background:var(--bg)}
.muted{color:var(--muted)}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.hint{margin-top:.75rem;color:var(--muted);font-size:.9375rem}
details{color:var(--muted);font-size:.9375rem}
summary{cursor:pointer;padding:10px 0}
.formats{line-height:1.8;word-spacing:.2em;padding-bottom:.25rem}
.progress{margin-top:1.25rem}
.current{font-weight:600;overflow-wrap:anywhere;margin-bottom:.25rem}
.bar{height:14px;border-radius:999px;background:var(--line);overflow:hidden;margin-top:.5rem}
.fill{height:100%;background:var(--accent);transform-origin:left center;transform:scaleX(0);transition:transform .2s linear}
.stats{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;margin-top:.5rem;font-variant-numeric:tabular-nums}
.percent{font-size:1.75rem;font-weight:700;line-height:1.2}
.speed{color:var(--muted);text-align:right}
.bytes{color:var(--muted);font-size:.9375rem;margin:.125rem 0 1rem;font-variant-numeric:tabular-nums}
.result{margin-top:1.25rem;padding:16px 18px;border-radius:12px;outline:none}
.result h2{font-size:1.125rem;line-height:1.3;margin:0 0 .25rem}
.result p+p{margin-top:.25rem}
.ok{background:var(--ok-soft)}.ok h2{color:var(--ok)}
.error{background:var(--bad-soft)}.error h2{color:var(--bad)}
.notice{background:var(--note-soft)}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:.75rem 0 0}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875rem}
@media (prefers-reduced-motion:reduce){.fill,.drop{transition:none}}
`;

const UPLOAD_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" ' +
  'stroke-linejoin="round" aria-hidden="true"><path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5"/>' +
  '<path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"/></svg>';

function shell(language: PageLanguage, nonce: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style nonce="${escapeHtml(nonce)}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Sizes on the page use MAX_FILE_SIZE_MB's unit: 1 MB = 1024 * 1024 bytes. */
const megabytes = (bytes: number, language: PageLanguage) =>
  `${Number((bytes / 1024 / 1024).toFixed(1)).toLocaleString(language)}\u00a0${uploadText[language].units[2]}`;

export interface UploadPageInput {
  language: PageLanguage;
  nonce: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  maxBytes: number;
  extensions: readonly string[];
}

/** The picker, drop zone, progress and result of a live upload link. */
export function uploadPage(input: UploadPageInput): string {
  const text = uploadText[input.language];
  const nonce = escapeHtml(input.nonce);
  const config = {
    token: input.token,
    expiresAt: input.expiresAt,
    maxBytes: input.maxBytes,
    extensions: input.extensions,
    lang: input.language,
    text,
  };
  const accept = input.extensions.map((ext) => `.${ext}`).join(',');
  const body = `<h1>${escapeHtml(text.title)}</h1>
<p class="lead">${escapeHtml(text.lead)} <span id="expiry"></span></p>
<noscript><p class="result error">${escapeHtml(text.noScript)}</p></noscript>
<section id="picker">
<label class="drop" id="drop" for="file">
${UPLOAD_ICON}
<span class="button">${escapeHtml(text.choose)}</span>
<span class="muted">${escapeHtml(text.orDrop)}</span>
<input class="sr-only" type="file" id="file" name="file" accept="${escapeHtml(accept)}">
</label>
<p class="hint" id="limits">${escapeHtml(fill(text.maxSize, { size: megabytes(input.maxBytes, input.language) }))}</p>
<details>
<summary>${escapeHtml(fill(text.formats, { count: String(input.extensions.length) }))}</summary>
<p class="formats">${input.extensions.map((ext) => escapeHtml(ext)).join(' · ')}</p>
</details>
<div class="progress" id="progress" hidden>
<p class="current" id="current"></p>
<p class="muted" id="phase"></p>
<div class="bar" id="bar" role="progressbar" aria-labelledby="current" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div class="fill" id="fill"></div></div>
<div class="stats"><span class="percent" id="percent">0&nbsp;%</span><span class="speed" id="speed"></span></div>
<p class="bytes" id="bytes"></p>
<button class="button secondary" type="button" id="cancel">${escapeHtml(text.cancel)}</button>
</div>
</section>
<section class="result" id="result" role="status" aria-live="polite" tabindex="-1" hidden></section>
<script type="application/json" id="upload-config">${jsonForScript(config)}</script>
<script nonce="${nonce}">${UPLOAD_SCRIPT}</script>`;
  return shell(input.language, input.nonce, text.title, body);
}

/** Why a link cannot be used: never seen, already used, or past its hour. */
export type LinkProblem = 'unknown' | 'used' | 'expired';

/** The plain-words page shown instead of the picker when the link cannot be used. */
export function linkProblemPage({
  language,
  nonce,
  problem,
}: {
  language: PageLanguage;
  nonce: string;
  problem: LinkProblem;
}) {
  const text = uploadText[language];
  const said: Record<LinkProblem, [title: string, detail: string]> = {
    unknown: [text.linkUnknown, text.linkUnknownDetail],
    used: [text.linkUsed, text.linkUsedDetail],
    expired: [text.linkExpired, text.linkExpiredDetail],
  };
  const [title, detail] = said[problem];
  const body = `<h1>${escapeHtml(text.title)}</h1>
<section class="result error" id="result" role="alert">
<h2>${escapeHtml(title)}</h2>
<p>${escapeHtml(detail)}</p>
<p>${escapeHtml(text.newLink)}</p>
</section>`;
  return shell(language, nonce, title, body);
}
