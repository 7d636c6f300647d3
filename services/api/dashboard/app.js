// The gtwatch dashboard: plain ES modules, no build step. Every value from the API is inserted as text, never HTML.
import { alertsChart, PATTERN_COLOURS, timelineChart } from '/charts.js';

const TOKEN_KEY = 'gtwatch.token';
const $ = (selector) => document.querySelector(selector);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const svg = (tag, attrs = {}) => {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
};

const fmt = new Intl.NumberFormat('en-GB');
const num = (n) => fmt.format(n ?? 0);
const when = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + 'Z' : '—');
const sourceLink = (id) => h('a', { href: `#/source/${encodeURIComponent(id)}`, class: 'source-link', text: id });
const alertLink = (id, text) => h('a', { href: `#/alert/${encodeURIComponent(id)}`, class: 'alert-link', text: text ?? id });
const severity = (s) => h('span', { class: `pill sev-${s}`, text: s });
const tlp = (t) => h('span', { class: 'tlp', text: `TLP:${String(t).toUpperCase()}` });

function table(headers, rows) {
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, headers.map(([label, cls]) => h('th', { class: cls, text: label })))),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { colspan: headers.length, class: 'muted', text: 'nothing in this range' })) : rows),
  );
}

const card = (title, ...children) => h('section', { class: 'card' }, h('h2', { text: title }), ...children);

// ------------------------------------------------------------------------------------------------- API access

class Unauthorized extends Error {}

async function api(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (response.status === 401) throw new Unauthorized('token refused');
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

function rangeQuery() {
  const hours = Number($('#range').value);
  const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  const from = new Date(to.getTime() - hours * 3_600_000);
  return `from=${from.toISOString()}&to=${to.toISOString()}`;
}

// ------------------------------------------------------------------------------------------------------ pages

function worldMap(overview) {
  // The outlines are one cached image; the bubbles are an SVG overlay in the same 360 × 180 equirectangular frame.
  const box = svg('svg', { viewBox: '0 0 360 180', role: 'img', 'aria-label': 'source and victim countries' });
  const max = Math.max(1, ...overview.sourceCountries.map((c) => c.alerts), ...overview.victimCountries.map((c) => c.alerts));
  const bubbles = (rows, cls) => {
    for (const row of rows) {
      if (row.lat === null || row.lon === null) continue;
      const r = 1.5 + 6 * Math.sqrt(row.alerts / max);
      const circle = svg('circle', { cx: row.lon + 180, cy: 90 - row.lat, r, class: cls, 'data-country': row.country });
      const title = svg('title', {});
      title.textContent = `${row.country}: ${row.alerts} alert${row.alerts === 1 ? '' : 's'} (${cls})`;
      circle.append(title);
      box.append(circle);
    }
  };
  bubbles(overview.victimCountries, 'victim');
  bubbles(overview.sourceCountries, 'source');
  return h(
    'div',
    {},
    h('div', { class: 'map', 'data-testid': 'world' }, h('img', { src: '/world.svg', alt: '' }), box),
    h('div', { class: 'legend' }, h('span', { class: 'dot', style: 'background:#c62828' }), 'source countries', h('span', { class: 'dot', style: 'background:#1565c0' }), 'victim countries', ' — bubble area ∝ alerts'),
  );
}

async function overviewPage(view) {
  const data = await api(`/api/v1/overview?${rangeQuery()}`);
  const chartBox = h('div', { 'data-testid': 'alerts-chart' });
  view.replaceChildren(
    h('h1', { text: 'Overview' }),
    card(
      'Totals',
      h('div', { class: 'totals' }, h('div', {}, h('b', { text: num(data.totals.alerts) }), 'alerts'), h('div', {}, h('b', { text: num(data.totals.open) }), 'open'), h('div', {}, h('b', { text: num(data.totals.sources) }), 'abusive sources')),
    ),
    card('Alerts over time by pattern', chartBox),
    card('Where abuse comes from and whom it targets', worldMap(data)),
    card(
      'Top abusive sources',
      h(
        'div',
        { 'data-testid': 'top-sources' },
        table(
          [['source'], ['country'], ['operator'], ['score', 'num'], ['alerts', 'num'], ['transactions', 'num'], ['patterns']],
          data.topSources.map((s) =>
            h('tr', {}, h('td', {}, sourceLink(s.entity)), h('td', { text: s.country ?? '—' }), h('td', { text: s.operator ?? '—' }), h('td', { class: 'num', text: s.score }), h('td', { class: 'num', text: num(s.alerts) }), h('td', { class: 'num', text: num(s.transactions) }), h('td', { text: s.patterns.join(', ') })),
          ),
        ),
      ),
    ),
  );
  if (data.alertsOverTime.times.length > 0) alertsChart(chartBox, data.alertsOverTime);
}

async function sourcePage(view, id) {
  const p = await api(`/api/v1/sources/${encodeURIComponent(id)}?${rangeQuery()}`);
  const chartBox = h('div', { 'data-testid': 'timeline' });
  const holder = p.rangeHolder;
  view.replaceChildren(
    h('h1', { id: 'source-title' }, `Source ${p.id}`),
    card(
      'Who holds it',
      h(
        'dl',
        { class: 'facts' },
        h('dt', { text: 'type' }), h('dd', { text: p.source.type }),
        h('dt', { text: 'country' }), h('dd', { text: p.source.country ?? '—' }),
        h('dt', { text: 'operator' }), h('dd', { text: p.source.operator ?? '—' }),
        h('dt', { text: 'PLMN' }), h('dd', { text: p.source.plmn ?? '—' }),
        h('dt', { text: 'leased' }), h('dd', { text: p.source.leased ? 'yes — leased GT range' : 'no' }),
        h('dt', { text: 'reference range' }), h('dd', { text: holder ? `${holder.rangePrefix ?? 'no matching range'} ${holder.operator ? `(${holder.operator})` : ''}` : 'no reference data configured' }),
      ),
    ),
    card(`Transactions over time (per ${p.series.stepSeconds / 60} min)`, chartBox),
    h(
      'div',
      { class: 'grid2' },
      card(
        'Operations',
        h('div', { 'data-testid': 'operations' }, table([['protocol'], ['operation', 'num'], ['category', 'num'], ['transactions', 'num'], ['errors', 'num']], p.operations.map((o) => h('tr', {}, h('td', { text: o.protocol }), h('td', { class: 'num', text: o.operation }), h('td', { class: 'num', text: o.category || '—' }), h('td', { class: 'num', text: num(o.transactions) }), h('td', { class: 'num', text: num(o.errors) }))))),
      ),
      card(
        'Victims',
        h('div', { 'data-testid': 'victims' }, table([['victim country / network'], ['alerts', 'num'], ['subscribers (max)', 'num']], [...p.victims.countries, ...p.victims.plmns].map((v) => h('tr', {}, h('td', { text: v.value }), h('td', { class: 'num', text: v.alerts }), h('td', { class: 'num', text: num(v.subscribers) }))))),
      ),
      card('Reporters', table([['reporter'], ['transactions', 'num'], ['first'], ['last']], p.reporters.map((r) => h('tr', {}, h('td', { text: r.reporter }), h('td', { class: 'num', text: num(r.transactions) }), h('td', { text: when(r.firstMinute) }), h('td', { text: when(r.lastMinute) }))))),
      card('Patterns fired', table([['pattern'], ['alerts', 'num'], ['max score', 'num'], ['max severity']], p.patterns.map((x) => h('tr', {}, h('td', { text: x.pattern }), h('td', { class: 'num', text: x.alerts }), h('td', { class: 'num', text: x.maxScore }), h('td', {}, severity(x.maxSeverity)))))),
    ),
    card(
      'Alert history',
      h('div', { 'data-testid': 'source-alerts' }, table([['alert'], ['pattern'], ['severity'], ['status'], ['opened'], ['updated']], p.alerts.map((a) => h('tr', {}, h('td', {}, alertLink(a.alertId, a.alertId.slice(0, 12))), h('td', { text: a.pattern }), h('td', {}, severity(a.severity)), h('td', { text: a.status }), h('td', { text: when(a.openedAt) }), h('td', { text: when(a.updatedAt) }))))),
    ),
  );
  if (p.series.points.length > 0) timelineChart(chartBox, p.series.points);
  else chartBox.append(h('p', { class: 'muted', text: 'no traffic in this range' }));
}

async function alertPage(view, id) {
  const { alert: a, lifecycle } = await api(`/api/v1/alerts/${encodeURIComponent(id)}`);
  view.replaceChildren(
    h('h1', { id: 'alert-title' }, `${a.pattern} alert `, severity(a.severity), ' ', tlp(a.tlp)),
    card('What happened', h('p', { 'data-testid': 'explanation', text: a.explanation })),
    card(
      'Facts',
      h(
        'dl',
        { class: 'facts' },
        h('dt', { text: 'alert id' }), h('dd', { text: a.alertId }),
        h('dt', { text: 'status' }), h('dd', { text: a.status }),
        h('dt', { text: 'score' }), h('dd', { text: a.score }),
        h('dt', { text: 'source' }), h('dd', {}, sourceLink(a.source.id), ` ${a.source.country ?? ''} ${a.source.operator ?? ''}`),
        h('dt', { text: 'victims' }), h('dd', { text: `${a.victims.countries.join(', ') || '—'} (${a.victims.plmns.join(', ') || '—'}), ${num(a.victims.subscribers)} subscribers` }),
        h('dt', { text: 'reporters' }), h('dd', { text: a.reporters.join(', ') }),
        h('dt', { text: 'jurisdictions' }), h('dd', { text: a.jurisdictions.join(', ') || '—' }),
        h('dt', { text: 'evidence span' }), h('dd', { text: `${when(a.firstSeen)} – ${when(a.lastSeen)}` }),
        h('dt', { text: 'transactions' }), h('dd', { text: num(a.count) }),
      ),
    ),
    card('Operations', table([['protocol'], ['operation', 'num'], ['name'], ['count', 'num']], (Array.isArray(a.operations) ? a.operations : []).map((o) => h('tr', {}, h('td', { text: o.protocol }), h('td', { class: 'num', text: o.operation }), h('td', { text: o.name ?? '' }), h('td', { class: 'num', text: num(o.count) }))))),
    card('Evidence', h('pre', { 'data-testid': 'evidence', text: JSON.stringify(a.evidence, null, 2) })),
    card('Lifecycle', h('div', { 'data-testid': 'lifecycle' }, table([['time'], ['status'], ['severity'], ['score', 'num'], ['TLP'], ['transactions', 'num']], lifecycle.map((e) => h('tr', {}, h('td', { text: when(e.time) }), h('td', { text: e.status }), h('td', {}, severity(e.severity)), h('td', { class: 'num', text: e.score }), h('td', { text: e.tlp }), h('td', { class: 'num', text: num(e.count) })))))),
  );
}

// ----------------------------------------------------------------------------------------------- live feed

let feedAbort = null;

async function startFeed() {
  feedAbort?.abort();
  feedAbort = new AbortController();
  const state = $('#feed-state');
  const list = $('#feed');
  list.replaceChildren();
  try {
    const response = await fetch('/api/v1/alerts/stream', { headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` }, signal: feedAbort.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    state.textContent = 'live';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'alert' && data) showFeedItem(list, JSON.parse(data));
      }
    }
    state.textContent = 'disconnected';
  } catch (error) {
    if (error.name !== 'AbortError') state.textContent = 'disconnected';
  }
}

function showFeedItem(list, item) {
  list.querySelector(`li[data-alert="${CSS.escape(item.alertId)}"]`)?.remove();
  const li = h(
    'li',
    { 'data-alert': item.alertId, class: item.backlog ? '' : 'fresh', style: `border-left: 3px solid ${PATTERN_COLOURS[item.pattern] ?? '#333'}; padding-left: .4rem` },
    h('div', {}, alertLink(item.alertId, `${item.pattern} — ${item.status}`), ' ', severity(item.severity)),
    h('div', { class: 'muted', text: `${item.source.id} (${item.source.country ?? '?'}) → ${item.victimCountries.join(', ') || '?'} · ${when(item.updatedAt)}` }),
  );
  list.prepend(li);
  while (list.children.length > 50) list.lastElementChild.remove();
}

// ------------------------------------------------------------------------------------------------- routing

async function render() {
  const view = $('#view');
  const hash = location.hash || '#/';
  const source = /^#\/source\/(.+)$/.exec(hash);
  const alert = /^#\/alert\/(.+)$/.exec(hash);
  view.setAttribute('aria-busy', 'true');
  try {
    if (source) await sourcePage(view, decodeURIComponent(source[1]));
    else if (alert) await alertPage(view, decodeURIComponent(alert[1]));
    else await overviewPage(view);
  } catch (error) {
    if (error instanceof Unauthorized) return signOut('Your token was refused. Sign in again.');
    view.replaceChildren(h('p', { class: 'error', role: 'alert', text: `Could not load this page: ${error.message}` }));
  } finally {
    view.removeAttribute('aria-busy');
  }
}

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  feedAbort?.abort();
  $('#app').hidden = true;
  $('#logout').hidden = true;
  $('#who').textContent = '';
  $('#login').hidden = false;
  $('#login-error').textContent = message;
}

async function signIn() {
  try {
    const me = await api('/api/v1/me');
    const scope = me.jurisdiction ? ` · ${me.jurisdiction}` : me.reporter ? ` · ${me.reporter}` : '';
    $('#who').textContent = `${me.name} (${me.role}${scope}, TLP ≤ ${me.clearance})`;
  } catch (error) {
    return signOut(error instanceof Unauthorized ? 'That token was not accepted.' : error.message);
  }
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  startFeed();
  await render();
}

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
  $('#token').value = '';
  signIn();
});
$('#logout').addEventListener('click', () => signOut());
$('#range').addEventListener('change', () => render());
window.addEventListener('hashchange', () => render());

if (sessionStorage.getItem(TOKEN_KEY)) signIn();
else signOut();
