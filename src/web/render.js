// The services table. Built with DOM calls and textContent only (names come from the config: never HTML).
import { human } from './chart.js';

const COLUMNS = ['Real server', 'Health', 'Admin', 'Weight', 'Active', 'Inactive', 'Conns', 'Conn/s', 'Bytes/s', 'Drain', ''];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

const badge = (field, state, text = state) => el('span', { class: 'badge', dataset: { field, state }, text });
const num = (field, v) => el('td', { class: 'num', dataset: { field }, text: String(v) });

/** Replace the contents of `root` with one table per service. `rates` maps "sid/rid" → {cps, bps}. */
export function renderServices(root, status, rates, onAction) {
  const frag = document.createDocumentFragment();
  for (const s of status.services) {
    const head = el(
      'h2',
      {},
      el('span', { text: s.name ? `${s.name} — ${s.id}` : s.id }),
      el('span', { class: 'meta', text: `${s.scheduler}  ·  ${s.connections} connections  ·  ${s.refused} refused` }),
    );
    const table = el('table', {}, el('thead', {}, el('tr', {}, ...COLUMNS.map((c) => el('th', { text: c })))));
    const body = el('tbody');
    const reals = [...s.reals].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    for (const r of reals) body.append(row(s.id, r, rates.get(`${s.id}/${r.id}`), onAction));
    table.append(body);
    frag.append(el('section', { class: 'service', dataset: { service: s.id } }, head, table));
  }
  if (status.services.length === 0) frag.append(el('p', { class: 'hint', text: 'No virtual services.' }));
  root.replaceChildren(frag);
}

function row(sid, r, rate, onAction) {
  const drain = r.drain
    ? badge('drain', r.drain.state, `${r.drain.state}${r.drain.state === 'draining' ? ` (${r.drain.remainingConns} left)` : ''}`)
    : el('span', { dataset: { field: 'drain', state: 'none' }, text: '—' });
  const draining = r.admin === 'drain';
  const actions = el(
    'td',
    {},
    el('button', { type: 'button', dataset: { action: 'drain' }, ...(draining ? { disabled: '' } : {}), text: 'Drain' }),
    ' ',
    el('button', { type: 'button', dataset: { action: 'enable' }, ...(r.admin === 'enabled' ? { disabled: '' } : {}), text: 'Enable' }),
  );
  actions.addEventListener('click', (ev) => {
    const action = ev.target instanceof HTMLButtonElement ? ev.target.dataset.action : undefined;
    if (action) onAction(action, sid, r.id);
  });
  return el(
    'tr',
    { dataset: { real: `${sid}/${r.id}` } },
    el('td', { text: r.fallback ? `${r.id} (fallback)` : r.id }),
    el('td', { title: r.healthReason ?? '' }, badge('health', r.health)),
    el('td', {}, badge('admin', r.admin)),
    el('td', { class: 'num', dataset: { field: 'weight' }, text: r.weight === r.configuredWeight ? String(r.weight) : `${r.weight} / ${r.configuredWeight}` }),
    num('activeConns', r.activeConns),
    num('inactConns', r.inactConns),
    num('conns', r.stats.conns),
    num('cps', rate ? human(rate.cps) : '0'),
    num('bps', rate ? human(rate.bps) : '0'),
    el('td', {}, drain),
    actions,
  );
}
