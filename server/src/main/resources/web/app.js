// ocrgate's page: sends one image to POST /v1/recognize and shows what the server read.
//
// The token lives in the `token` variable of this closure and nowhere else: the input field is
// cleared as soon as it is taken, nothing is written to a URL, cookie, localStorage or
// sessionStorage, and a reload forgets it. Everything the server sends is put into the page as
// text (textContent, SVG attributes), never as HTML.
//
// For tests and scripts the page states what it is doing: <body data-state="idle|sending|done|error">,
// each box is <polygon data-index="i" points="x,y …"> in image pixels (the SVG's viewBox is the
// image's size, so the browser scales boxes and image alike), each list item is
// <li data-index="i" data-confidence="…">, and #error carries data-http-status and
// data-retry-after.
'use strict';

(() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  /** RFC 6750 b64token: what may follow "Bearer ". */
  const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
  /** The Timing fields of RecognizeResponse (proto JSON names), in the order they are shown. */
  const TIMING = [
    ['decodeUs', 'decode'],
    ['queueUs', 'waiting in queues'],
    ['detectionUs', 'detection'],
    ['recognitionUs', 'recognition'],
    ['inferenceUs', 'inside ONNX Runtime'],
    ['totalUs', 'total on the server'],
  ];

  let token = null;
  let file = null;
  let imageUrl = null;
  /** Increases with every request; an answer to an older one is dropped. */
  let sequence = 0;

  const $ = (id) => document.getElementById(id);

  function setState(state, status) {
    document.body.dataset.state = state;
    $('status').textContent = status || '';
  }

  // ---- token -------------------------------------------------------------------------------

  function takeToken() {
    const field = $('token');
    let value = field.value.trim();
    field.value = '';
    if (/^bearer\s+/i.test(value)) {
      value = value.replace(/^bearer\s+/i, '');
    }
    if (!value) {
      return false;
    }
    if (!B64TOKEN.test(value)) {
      showError('Not a bearer token', 'A token consists of letters, digits and - . _ ~ + / = only.');
      return false;
    }
    token = value;
    $('forget-token').disabled = false;
    $('token-state').textContent = describeToken(value);
    hideError();
    updateButtons();
    return true;
  }

  function forgetToken() {
    token = null;
    $('forget-token').disabled = true;
    $('token-state').textContent = 'No token.';
    updateButtons();
  }

  /** What the token says about itself (unverified: only the server checks it). */
  function describeToken(value) {
    const parts = value.split('.');
    if (parts.length !== 3) {
      return 'Token set (not a JWT: the server will judge it).';
    }
    try {
      const binary = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
      const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
      const bits = ['Token set'];
      if (typeof claims.sub === 'string') {
        bits.push('for ' + claims.sub);
      }
      const scope = typeof claims.scope === 'string' ? claims.scope
        : Array.isArray(claims.scp) ? claims.scp.join(' ') : '';
      if (scope) {
        bits.push('with scope ' + scope);
      }
      if (typeof claims.exp === 'number') {
        bits.push('expiring ' + new Date(claims.exp * 1000).toLocaleString());
      }
      return bits.join(', ') + ' (as the token says; the server checks it).';
    } catch (e) {
      return 'Token set (its payload is not readable JSON: the server will judge it).';
    }
  }

  // ---- image -------------------------------------------------------------------------------

  function chooseFile(chosen) {
    if (!chosen) {
      return;
    }
    file = chosen;
    updateButtons();
    read();
  }

  function updateButtons() {
    $('read').disabled = !(file && (token || $('token').value.trim()));
  }

  // ---- the request ---------------------------------------------------------------------------

  async function read() {
    if (!token) {
      const pasted = $('token').value.trim() !== '';
      if (!takeToken()) {
        if (!pasted) {
          showError('No token', 'Paste a token (scope ocr:recognize) and press "Use token" first.');
        }
        return;
      }
    }
    if (!file) {
      return;
    }
    const mine = ++sequence;
    hideError();
    setState('sending', 'Reading ' + file.name + ' (' + formatBytes(file.size) + ')…');
    let response;
    let body;
    try {
      response = await fetch('/v1/recognize', {
        method: 'POST',
        headers: {
          'Authorization': 'Bearer ' + token,
          'Content-Type': file.type || 'application/octet-stream',
          'Accept': 'application/json',
        },
        body: file,
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
        referrerPolicy: 'no-referrer',
      });
      body = await response.text();
    } catch (e) {
      if (mine === sequence) {
        showError('No answer', 'The server could not be reached (' + e.message + ').');
      }
      return;
    }
    if (mine !== sequence) {
      return;
    }
    if (!response.ok) {
      showServerError(response, body);
      return;
    }
    let answer;
    try {
      answer = JSON.parse(body);
    } catch (e) {
      showError(response.status + ' unreadable answer', 'The server answered something that is not JSON.');
      return;
    }
    await showAnswer(answer, mine);
  }

  /** The server's error as it states it: HTTP status, gRPC code name, message, Retry-After. */
  function showServerError(response, body) {
    let code = '';
    let message = body.trim();
    try {
      const json = JSON.parse(body);
      code = typeof json.status === 'string' ? json.status : '';
      message = typeof json.message === 'string' ? json.message : message;
    } catch (e) {
      // not JSON (e.g. a proxy's page): show its text as it is
    }
    const title = response.status + ' ' + (code || response.statusText || 'error');
    const retryAfter = response.headers.get('Retry-After');
    let text = message || '(no message)';
    if (retryAfter !== null) {
      text += ' — retry after ' + retryAfter + (/^\d+$/.test(retryAfter) ? ' s' : '') + '.';
    }
    if (response.status === 401) {
      text += ' Paste a valid token with the ocr:recognize scope.';
    }
    showError(title, text, response.status, retryAfter);
  }

  function showError(title, message, httpStatus, retryAfter) {
    const box = $('error');
    $('error-title').textContent = title;
    $('error-message').textContent = message;
    box.dataset.httpStatus = httpStatus === undefined ? '' : String(httpStatus);
    box.dataset.retryAfter = retryAfter === undefined || retryAfter === null ? '' : retryAfter;
    box.hidden = false;
    setState('error');
  }

  function hideError() {
    $('error').hidden = true;
  }

  // ---- the answer ----------------------------------------------------------------------------

  async function showAnswer(answer, mine) {
    const width = Number(answer.imageWidth) || 0;
    const height = Number(answer.imageHeight) || 0;
    const lines = Array.isArray(answer.lines) ? answer.lines : [];
    const image = $('image');
    if (imageUrl) {
      URL.revokeObjectURL(imageUrl);
    }
    imageUrl = URL.createObjectURL(file);
    image.src = imageUrl;
    try {
      await image.decode();
    } catch (e) {
      // this browser cannot show the format: the boxes and text are still worth seeing
    }
    if (mine !== sequence) {
      return;
    }
    const overlay = $('overlay');
    overlay.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    overlay.replaceChildren(...lines.map(box));
    $('lines').replaceChildren(...lines.map(listItem));
    $('line-count').textContent = '(' + lines.length + ')';
    showTiming(answer.timing || {});
    $('model').textContent = 'Model ' + (answer.model || '?') + ', image ' + width + ' × ' + height + ' px.';
    $('result').hidden = false;
    setState('done', lines.length + (lines.length === 1 ? ' line' : ' lines') + ' read in '
      + formatMicros(answer.timing && answer.timing.totalUs) + '.');
  }

  function box(line, i) {
    const points = ((line.box && line.box.points) || [])
      .map((p) => (Number(p.x) || 0) + ',' + (Number(p.y) || 0)).join(' ');
    const polygon = document.createElementNS(SVG_NS, 'polygon');
    polygon.setAttribute('points', points);
    polygon.dataset.index = String(i);
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = line.text || '';
    polygon.append(title);
    polygon.addEventListener('mouseenter', () => highlight(i, true));
    polygon.addEventListener('mouseleave', () => highlight(i, false));
    polygon.addEventListener('click', () => select(i, true));
    return polygon;
  }

  function listItem(line, i) {
    const item = document.createElement('li');
    item.dataset.index = String(i);
    const confidence = Number(line.confidence) || 0;
    item.dataset.confidence = String(confidence);
    item.tabIndex = 0;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = line.text || '';
    const score = document.createElement('span');
    score.className = 'confidence' + (confidence < 0.5 ? ' low' : '');
    score.textContent = (confidence * 100).toFixed(1) + ' %';
    item.append(text, score);
    item.addEventListener('mouseenter', () => highlight(i, true));
    item.addEventListener('mouseleave', () => highlight(i, false));
    item.addEventListener('focus', () => select(i, false));
    item.addEventListener('click', () => select(i, false));
    return item;
  }

  /** The list item and the box of line {@code i}. */
  function pair(i) {
    const sel = '[data-index="' + i + '"]';
    return [$('lines').querySelector(sel), $('overlay').querySelector(sel)];
  }

  function highlight(i, on) {
    for (const el of pair(i)) {
      if (el) {
        el.classList.toggle('hover', on);
      }
    }
  }

  function select(i, scroll) {
    for (const el of document.querySelectorAll('.selected')) {
      el.classList.remove('selected');
    }
    const [item, polygon] = pair(i);
    for (const el of [item, polygon]) {
      if (el) {
        el.classList.add('selected');
      }
    }
    if (scroll && item) {
      item.scrollIntoView({ block: 'nearest' });
    }
  }

  function showTiming(timing) {
    const rows = [];
    for (const [field, label] of TIMING) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset.field = field;
      dd.textContent = formatMicros(timing[field]);
      rows.push(dt, dd);
    }
    $('timing').replaceChildren(...rows);
  }

  /** Proto JSON writes uint64 as a string; 0 or missing means "not measured". */
  function formatMicros(value) {
    const us = Number(value) || 0;
    return us === 0 ? '—' : (us / 1000).toFixed(1) + ' ms';
  }

  function formatBytes(n) {
    return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(0) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB';
  }

  // ---- wiring --------------------------------------------------------------------------------

  function wire() {
    $('use-token').addEventListener('click', () => {
      if (takeToken() && file) {
        read();
      }
    });
    $('token').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        $('use-token').click();
      }
    });
    $('token').addEventListener('input', updateButtons);
    $('forget-token').addEventListener('click', forgetToken);
    $('read').addEventListener('click', read);
    $('file').addEventListener('change', (e) => chooseFile(e.target.files[0]));
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      chooseFile(e.dataTransfer.files[0]);
    });
    // A file dropped beside the zone must not make the browser navigate to it.
    document.addEventListener('dragover', (e) => e.preventDefault());
    document.addEventListener('drop', (e) => e.preventDefault());
    setState('idle');
  }

  wire();
})();
