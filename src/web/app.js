// webfarm live dashboard: GET /v1/status every POLL_MS plus the event stream; rates per real server from
// counter differences between polls; drain/enable buttons call the same API as `webfarm drain/enable`.
import { Unauthorized, api, clearToken, followEvents, setToken, takeToken } from './api.js';
import { drawChart } from './chart.js';
import { renderServices } from './render.js';

const POLL_MS = 1000;
const POINTS = 120;
const $ = (id) => document.getElementById(id);

/** "sid/rid" → { last: {t, conns, bytes}, cps: [], bps: [] } */
const history = new Map();
let pollTimer;
let stopEvents;
let refreshSoon;

function showError(text) {
  $('error').hidden = !text;
  $('error').textContent = text ?? '';
}

function askToken(message) {
  clearToken();
  clearInterval(pollTimer);
  stopEvents?.();
  $('token-form').hidden = false;
  $('token-input').focus();
  showError(message);
}

function sample(status, now) {
  const rates = new Map();
  const seen = new Set();
  for (const s of status.services) {
    for (const r of s.reals) {
      const key = `${s.id}/${r.id}`;
      seen.add(key);
      const bytes = r.stats.inBytes + r.stats.outBytes;
      const h = history.get(key) ?? { last: undefined, cps: [], bps: [] };
      if (h.last) {
        const dt = Math.max(0.001, (now - h.last.t) / 1000);
        const cps = Math.max(0, r.stats.conns - h.last.conns) / dt;
        const bps = Math.max(0, bytes - h.last.bytes) / dt;
        h.cps.push(cps);
        h.bps.push(bps);
        if (h.cps.length > POINTS) h.cps.shift();
        if (h.bps.length > POINTS) h.bps.shift();
        rates.set(key, { cps, bps });
      }
      h.last = { t: now, conns: r.stats.conns, bytes };
      history.set(key, h);
    }
  }
  for (const key of [...history.keys()]) if (!seen.has(key)) history.delete(key);
  return rates;
}

async function refresh() {
  try {
    const status = await api('GET', '/v1/status');
    const rates = sample(status, performance.now());
    $('run-info').textContent = `pid ${status.pid} · ${status.engine} engine · up since ${status.startedAt}`;
    renderServices($('services'), status, rates, act);
    const series = (pick) => [...history.entries()].map(([key, h]) => ({ label: key.split('/')[1] ?? key, values: h[pick] }));
    drawChart($('chart-cps'), series('cps'), { points: POINTS, unit: '/s' });
    drawChart($('chart-bps'), series('bps'), { points: POINTS, unit: 'B/s' });
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? 0) + 1);
    showError();
  } catch (e) {
    if (e instanceof Unauthorized) askToken('The token was refused.');
    else showError(e.message);
  }
}

async function act(action, sid, rid) {
  try {
    await api('POST', `/v1/services/${encodeURIComponent(sid)}/reals/${encodeURIComponent(rid)}/${action}`, {});
  } catch (e) {
    if (e instanceof Unauthorized) askToken('The token was refused.');
    else showError(e.message);
  }
  await refresh();
}

function logEvent(e) {
  const who = e.cause.detail ? `${e.cause.source}: ${e.cause.detail}` : e.cause.source;
  const li = document.createElement('li');
  li.textContent = `${e.time.slice(11, 19)}  ${e.type}  ${e.subject}  (${who})`;
  $('event-log').prepend(li);
  while ($('event-log').children.length > 100) $('event-log').lastChild.remove();
  clearTimeout(refreshSoon);
  refreshSoon = setTimeout(refresh, 100);
}

function setStreamState(state) {
  $('stream-state').dataset.state = state;
  $('stream-state').textContent = state === 'live' ? 'live' : state;
  if (state === 'unauthorized') askToken('The token was refused.');
}

function start() {
  $('token-form').hidden = true;
  refresh();
  clearInterval(pollTimer);
  pollTimer = setInterval(refresh, POLL_MS);
  stopEvents?.();
  stopEvents = followEvents(logEvent, setStreamState);
}

$('token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  setToken($('token-input').value.trim());
  $('token-input').value = '';
  start();
});

if (takeToken()) start();
else askToken();
