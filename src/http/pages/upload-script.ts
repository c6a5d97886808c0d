/**
 * The upload page's script, run in the browser (plain ES2017, no imports). It reads its
 * settings from the `#upload-config` JSON block, sends the chosen file as the raw body of
 * `POST /api/upload` with XMLHttpRequest (fetch reports no upload progress), and writes
 * everything it shows with `textContent`, never as HTML.
 */
export const UPLOAD_SCRIPT = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('upload-config').textContent);
  var T = cfg.text;
  var $ = function (id) { return document.getElementById(id); };
  var picker = $('picker'), input = $('file'), zone = $('drop'), progress = $('progress');
  var bar = $('bar'), fillEl = $('fill'), percent = $('percent'), speed = $('speed');
  var bytes = $('bytes'), phase = $('phase'), current = $('current'), result = $('result');
  var decimal = new Intl.NumberFormat(cfg.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat(cfg.lang);
  var xhr = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function size(n) {
    var unit = 0;
    while (n >= 1024 && unit < T.units.length - 1) { n /= 1024; unit++; }
    return (unit === 0 ? whole.format(n) : decimal.format(n)) + '\u00a0' + T.units[unit];
  }
  function duration(seconds) {
    var s = Math.max(1, Math.ceil(seconds));
    return s < 60 ? s + '\u00a0s' : Math.ceil(s / 60) + '\u00a0min';
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  var expiry = $('expiry');
  if (expiry) {
    var time = new Date(cfg.expiresAt).toLocaleTimeString(cfg.lang, { hour: '2-digit', minute: '2-digit' });
    expiry.textContent = fill(T.validUntil, { time: time });
  }

  /** The outcome in plain words: a title, sentences, and label/value rows. */
  function report(kind, title, lines, rows) {
    result.replaceChildren();
    result.className = 'result ' + kind;
    result.appendChild(el('h2', title));
    (lines || []).forEach(function (line) { if (line) result.appendChild(el('p', line)); });
    if (rows) {
      var list = el('dl');
      rows.forEach(function (row) { list.appendChild(el('dt', row[0])); list.appendChild(el('dd', row[1], row[2])); });
      result.appendChild(list);
    }
    result.hidden = false;
    result.focus();
  }
  /** The link cannot be used any more: no picker, just why and what to do. */
  function linkClosed(title, detail) {
    picker.hidden = true;
    if (expiry) expiry.hidden = true;
    report('error', title, [detail, T.newLink]);
  }

  function setPercent(value) {
    bar.setAttribute('aria-valuenow', String(value));
    percent.textContent = value + '\u00a0%';
    fillEl.style.transform = 'scaleX(' + value / 100 + ')';
  }
  function busy(on) {
    zone.classList.toggle('busy', on);
    input.disabled = on;
    progress.hidden = !on;
  }

  function start(file) {
    if (xhr || !file) return;
    result.hidden = true;
    var dot = file.name.lastIndexOf('.');
    var ext = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : '';
    if (cfg.extensions.indexOf(ext) < 0) {
      return report('error', T.badType, [ext ? fill(T.badTypeExtension, { ext: ext }) : T.noExtension, T.tryAgain]);
    }
    if (file.size > cfg.maxBytes) {
      return report('error', T.tooLarge, [fill(T.tooLargeDetail, { max: size(cfg.maxBytes), size: size(file.size) })]);
    }
    if (file.size === 0) return report('error', T.empty, [T.tryAgain]);

    var samples = [[performance.now(), 0]];
    current.textContent = file.name;
    phase.textContent = T.uploading;
    speed.textContent = '';
    bytes.textContent = fill(T.ofTotal, { done: size(0), total: size(file.size) });
    setPercent(0);
    busy(true);

    xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/upload?filename=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('X-Upload-Token', cfg.token);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = function (event) {
      var total = event.lengthComputable ? event.total : file.size;
      var now = performance.now();
      samples.push([now, event.loaded]);
      // Speed over the last three seconds: steady, yet quick to follow a change.
      while (samples.length > 2 && now - samples[0][0] > 3000) samples.shift();
      setPercent(Math.min(99, Math.floor((event.loaded * 100) / total)));
      bytes.textContent = fill(T.ofTotal, { done: size(event.loaded), total: size(total) });
      var seconds = (now - samples[0][0]) / 1000;
      if (seconds >= 0.25) {
        var rate = (event.loaded - samples[0][1]) / seconds;
        var text = fill(T.perSecond, { speed: size(rate) });
        if (rate > 0 && event.loaded < total) text += ' · ' + fill(T.timeLeft, { time: duration((total - event.loaded) / rate) });
        speed.textContent = text;
      }
    };
    xhr.upload.onload = function () {
      setPercent(100);
      phase.textContent = T.finishing;
    };
    xhr.onload = function () {
      var status = xhr.status, body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      done();
      finished(status, body);
    };
    xhr.onerror = function () { done(); report('error', T.network, [T.networkDetail]); };
    xhr.onabort = function () { done(); report('notice', T.cancelled, [T.cancelledDetail, T.tryAgain]); };
    xhr.send(file);
  }
  function done() {
    xhr = null;
    busy(false);
  }

  function finished(status, body) {
    if (status === 201 && body && body.file_id) {
      picker.hidden = true;
      if (expiry) expiry.hidden = true;
      return report('ok', T.stored, [T.storedDetail], [
        [T.fileLabel, body.name],
        [T.sizeLabel, size(body.size_bytes)],
        [T.referenceLabel, body.file_id, 'mono'],
      ]);
    }
    var error = (body && body.error) || {};
    var reason = error.details && error.details.reason;
    var said = error.message ? fill(T.serverSays, { message: error.message }) : fill(T.httpStatus, { status: String(status) });
    switch (error.code) {
      case 'gone':
        return reason === 'expired' ? linkClosed(T.linkExpired, T.linkExpiredDetail) : linkClosed(T.linkUsed, T.linkUsedDetail);
      case 'unauthorized':
        return linkClosed(T.linkUnknown, T.linkUnknownDetail);
      case 'payload_too_large':
        return report('error', T.tooLarge, [said, T.tryAgain]);
      case 'unsupported_media_type':
        return report('error', T.badType, [said, T.tryAgain]);
      case 'rate_limited':
        return report('error', T.rateLimited, [T.rateLimitedDetail]);
      case 'bad_request':
      case 'validation_failed':
        return report('error', T.refused, [said, T.tryAgain]);
      default:
        return report('error', T.failed, [said, T.tryAgain]);
    }
  }

  $('cancel').addEventListener('click', function () { if (xhr) xhr.abort(); });
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    start(file);
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      if (!xhr) zone.classList.add('over');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove('over'); });
  });
  zone.addEventListener('drop', function (event) {
    event.preventDefault();
    var files = event.dataTransfer ? event.dataTransfer.files : [];
    if (xhr || files.length === 0) return;
    if (files.length > 1) return report('error', T.oneFile, [T.oneFileDetail]);
    start(files[0]);
  });
  // A file dropped beside the zone must not make the browser leave the page and open it.
  window.addEventListener('dragover', function (event) { event.preventDefault(); });
  window.addEventListener('drop', function (event) { event.preventDefault(); });
  window.addEventListener('beforeunload', function (event) {
    if (xhr) { event.preventDefault(); event.returnValue = ''; }
  });
})();
`;
