// IIoT Routes dashboard: overview of the nodes, live values, trend charts (history from the TSDB, then live), alarms.
// Data: REST API (/api/...) for state and history, WebSocket (/ws) for live readings and alarm events.
'use strict';

const MAX_POINTS_PER_CHANNEL = 20000;   // ring buffer bound per channel: memory stays flat over a shift
const KEEP_MS = 6 * 3600 * 1000;        // and nothing older than the longest chart window
const NODE_POLL_MS = 2000;
const RECONNECT_MS = 1000;

const state = {
  nodes: new Map(),      // "site/node" -> node summary from /api/nodes
  channels: new Map(),   // "site/node/channel" -> channel (config, latest, alarm) from /api/channels
  series: new Map(),     // "site/node/channel" -> { ts: [], v: [], q: [] } sorted by ts, no duplicates
  alarms: { active: [], events: [] },
  lastSeq: new Map(),    // "site/node" -> last seq shown
  charts: new Map(),     // "site/node/channel" -> uPlot instance of the open node view
  view: { name: 'overview' },
  ws: null,
  connectedOnce: false,
  offlineUntil: 0,
  reconnects: 0,
};

const $ = (id) => document.getElementById(id);
const key = (...parts) => parts.join('/');
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

// ---------- formatting ----------

function decimals(channel) {
  const r = channel && channel.range;
  const span = r ? Math.abs(r[1] - r[0]) : 100;
  return span <= 20 ? 3 : span <= 200 ? 2 : span <= 2000 ? 1 : 0;
}

function formatValue(value, channel) {
  return value === null || value === undefined ? '—' : Number(value).toFixed(decimals(channel));
}

function ago(ms) {
  if (!ms) return 'never';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

const time = (ms) => new Date(ms).toLocaleTimeString();

// ---------- bounded, de-duplicated series ----------

function seriesOf(k) {
  let s = state.series.get(k);
  if (!s) {
    s = { ts: [], v: [], q: [] };
    state.series.set(k, s);
  }
  return s;
}

/** Adds one point in time order; a timestamp already present is a duplicate and is ignored. */
function addPoint(k, ts, value, quality = 'GOOD') {
  const s = seriesOf(k);
  const n = s.ts.length;
  if (n === 0 || ts > s.ts[n - 1]) {
    s.ts.push(ts);
    s.v.push(value);
    s.q.push(quality);
  } else {
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.ts[mid] < ts) lo = mid + 1; else hi = mid;
    }
    if (s.ts[lo] === ts) return false;
    s.ts.splice(lo, 0, ts);
    s.v.splice(lo, 0, value);
    s.q.splice(lo, 0, quality);
  }
  trim(s);
  return true;
}

function trim(s) {
  const cutoff = Date.now() - KEEP_MS;
  let drop = 0;
  while (drop < s.ts.length && s.ts[drop] < cutoff) drop++;
  drop = Math.max(drop, s.ts.length - MAX_POINTS_PER_CHANNEL);
  if (drop > 0) {
    s.ts.splice(0, drop);
    s.v.splice(0, drop);
    s.q.splice(0, drop);
  }
}

class SignInRequired extends Error {}

async function api(path, options) {
  const response = await fetch(path, options);
  if (response.status === 401) {
    showLogin();
    throw new SignInRequired('sign in required');
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

/** Merges the stored readings of [from, now) into a channel's series: raw points, or one mean per step. */
async function loadHistory(k, from, step) {
  const [site, node, channel] = k.split('/');
  const body = await api(`/api/history/${site}/${node}/${channel}?from=${Math.floor(from)}${step ? `&step=${step}` : ''}`);
  let added = 0;
  for (const p of body.points) {
    // aggregated steps carry no quality: their mean is of the readings the TSDB holds
    if (addPoint(k, p.ts, p.value, p.quality || 'GOOD')) added++;
  }
  return added;
}

// ---------- live stream ----------

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  state.ws = ws;
  ws.onopen = () => {
    $('connection').textContent = 'live';
    $('connection').className = 'state online';
    if (state.connectedOnce) {
      state.reconnects++;
      resync();
    }
    state.connectedOnce = true;
  };
  ws.onmessage = (event) => {
    const msg = JSON.parse(event.data);
    if (msg.type === 'alarm') onAlarmEvent(msg); else onReadings(msg);
  };
  ws.onclose = () => {
    $('connection').textContent = 'reconnecting…';
    $('connection').className = 'state offline';
    setTimeout(connect, Math.max(RECONNECT_MS, state.offlineUntil - Date.now()));
  };
}

/**
 * After a reconnect: every channel's readings since its last point come from the history API, merged with the live
 * frames by timestamp (no gap, no duplicate). Fetched twice, since the TSDB may make the last writes visible late.
 */
async function resync() {
  const since = new Map();
  for (const [k, s] of state.series) {
    if (s.ts.length) since.set(k, s.ts[s.ts.length - 1] + 1);
  }
  for (const attempt of [0, 2000]) {
    await new Promise((resolve) => setTimeout(resolve, attempt));
    await Promise.all([...since].map(([k, from]) => loadHistory(k, from).catch(() => 0)));
  }
  refreshCharts();
}

function onReadings(msg) {
  const nodeKey = key(msg.site, msg.node);
  state.lastSeq.set(nodeKey, Math.max(state.lastSeq.get(nodeKey) || 0, msg.seq));
  for (const r of msg.readings) {
    const k = key(msg.site, msg.node, r.channel);
    let channel = state.channels.get(k);
    if (!channel) {
      channel = { site: msg.site, node: msg.node, channel: r.channel, unit: r.unit, range: null, alarms: null, alarm: null };
      state.channels.set(k, channel);
    }
    if (!channel.latest || msg.ts >= channel.latest.ts) {
      channel.latest = { value: r.value, quality: r.quality, reason: r.reason || null, ts: msg.ts, seq: msg.seq };
    }
    addPoint(k, msg.ts, r.value, r.quality);
  }
  const node = state.nodes.get(nodeKey);
  if (node) node.lastSourceTimestamp = Math.max(node.lastSourceTimestamp || 0, msg.ts);
  renderNodeCard(nodeKey, msg);
  if (state.view.name === 'node') refreshCharts();
}

// ---------- alarms ----------

async function refreshAlarms() {
  try {
    state.alarms = await api('/api/alarms');
  } catch (e) {
    return;
  }
  for (const channel of state.channels.values()) channel.alarm = null;
  for (const a of state.alarms.active) {
    const channel = state.channels.get(key(a.site, a.node, a.channel));
    if (channel) channel.alarm = a;
  }
  renderAlarms();
  for (const nodeKey of state.nodes.keys()) renderNodeCard(nodeKey);
}

function onAlarmEvent() {
  refreshAlarms();
}

async function acknowledge(id, button) {
  button.disabled = true;
  try {
    await api(`/api/alarms/${id}/ack`, { method: 'POST' });
  } catch (e) {
    button.title = e.message;
  }
  refreshAlarms();
}

function levelBadge(level) {
  return el('span', `badge level-${level}`, level);
}

function ackCell(a) {
  const td = el('td', 'ack-cell');
  if (a.acknowledged) {
    td.append(el('span', 'muted', `acknowledged ${time(a.acknowledgedAt)}`));
  } else {
    const button = el('button', 'ack', 'Acknowledge');
    button.dataset.alarmId = a.id;
    button.onclick = () => acknowledge(a.id, button);
    td.append(button);
  }
  return td;
}

function alarmRow(a, withRaised, compact) {
  const channel = state.channels.get(key(a.site, a.node, a.channel));
  const tr = el('tr', `alarm ${a.acknowledged ? 'acked' : 'unacked'}`);
  tr.dataset.alarmId = a.id;
  tr.dataset.channel = a.channel;
  tr.dataset.node = a.node;
  if (withRaised) tr.append(el('td', null, time(a.raisedAt)));
  const nodeCell = el('td');
  const link = el('a', null, a.node);
  link.href = `#/node/${a.site}/${a.node}`;
  nodeCell.append(link);
  tr.append(nodeCell, el('td', null, a.channel));
  const level = el('td');
  level.append(levelBadge(a.level));
  tr.append(level, el('td', 'num', `${formatValue(channel?.latest?.value ?? a.value, channel)} ${a.unit || ''}`),
    el('td', 'num', `${formatValue(a.limit, channel)} ${a.unit || ''}`),
    ...(compact ? [] : [el('td', null, a.acknowledged ? 'acknowledged' : 'unacknowledged')]), ackCell(a));
  return tr;
}

function renderAlarms() {
  const active = state.alarms.active;
  const unacked = active.filter((a) => !a.acknowledged).length;
  const count = $('alarm-count');
  count.hidden = active.length === 0;
  count.textContent = active.length;
  count.className = `count ${unacked ? 'unacked' : ''}`;

  const banner = $('alarm-banner');
  banner.replaceChildren();
  banner.hidden = active.length === 0 || state.view.name === 'alarms';
  if (active.length) {
    const title = el('div', 'banner-title', `${active.length} active alarm${active.length > 1 ? 's' : ''}` +
      (unacked ? ` · ${unacked} unacknowledged` : ''));
    const table = el('table', 'alarms-table compact');
    const body = el('tbody');
    active.slice(0, 5).forEach((a) => body.append(alarmRow(a, true, true)));
    table.append(body);
    banner.append(title, table);
    banner.className = `alarm-banner ${unacked ? 'unacked' : ''}`;
  }

  const tbody = $('active-alarms');
  tbody.replaceChildren(...active.map((a) => alarmRow(a, true)));
  $('no-alarms').hidden = active.length > 0;
  $('alarm-events').replaceChildren(...state.alarms.events.slice(0, 50).map((e) => {
    const channel = state.channels.get(key(e.site, e.node, e.channel));
    const tr = el('tr');
    const level = el('td');
    level.append(levelBadge(e.level));
    tr.append(el('td', null, time(e.ts)), el('td', `event-${e.event}`, e.event.toLowerCase()), el('td', null, e.node),
      el('td', null, e.channel), level, el('td', 'num', `${formatValue(e.value, channel)} ${e.unit || ''}`),
      el('td', 'num', `${formatValue(e.limit, channel)} ${e.unit || ''}`));
    return tr;
  }));
}

// ---------- overview ----------

function nodeCard(nodeKey) {
  const id = `node-${nodeKey.replace('/', '-')}`;
  let card = document.getElementById(id);
  if (!card) {
    $('waiting')?.remove();
    const [site, node] = nodeKey.split('/');
    card = el('section', 'node');
    card.id = id;
    card.dataset.node = node;
    card.dataset.site = site;
    const head = el('div', 'node-card-head');
    const title = el('a', 'node-title', node);
    title.href = `#/node/${site}/${node}`;
    head.append(title, el('span', 'site muted', site), el('span', 'spacer'), el('span', 'pill status'));
    const stats = el('div', 'stats');
    const table = el('table', 'channels');
    card.append(head, stats, el('div', 'meta'), table);
    const cards = [...$('nodes').querySelectorAll('section.node')];
    const next = cards.find((c) => c.id.localeCompare(id, undefined, { numeric: true }) > 0);
    $('nodes').insertBefore(card, next ?? null);
  }
  return card;
}

function channelRow(card, channel) {
  const table = card.querySelector('table.channels');
  let row = table.querySelector(`tr[data-channel="${CSS.escape(channel.channel)}"]`);
  if (!row) {
    row = el('tr');
    row.dataset.channel = channel.channel;
    for (const cls of ['channel', 'value', 'unit', 'quality', 'alarm-state']) row.append(el('td', cls));
    row.cells[0].textContent = channel.channel;
    const next = [...table.rows].find((r) => r.dataset.channel.localeCompare(channel.channel, undefined, { numeric: true }) > 0);
    table.insertBefore(row, next ?? null);
  }
  return row;
}

function renderNodeCard(nodeKey, frame) {
  const card = nodeCard(nodeKey);
  const node = state.nodes.get(nodeKey);
  const status = node ? node.status : 'unknown';
  const pill = card.querySelector('.status');
  pill.textContent = status;
  pill.className = `pill status status-${status}`;
  card.classList.toggle('offline', status === 'offline');
  if (node) {
    const c = node.completeness || {};
    card.querySelector('.stats').replaceChildren(
      stat('last seen', ago(node.lastSeen), 'last-seen'),
      stat('completeness', node.completenessPercent === null ? '—' : `${node.completenessPercent.toFixed(2)} %`, 'completeness',
        `${c.received || 0} received, ${c.gaps || 0} missing, ${c.duplicates || 0} duplicates`),
      stat('alarms', String(node.activeAlarms || 0), 'alarms'));
  }
  const seq = state.lastSeq.get(nodeKey);
  if (frame) card.querySelector('.meta').textContent = `seq ${frame.seq} · ${time(frame.ts)}`;
  else if (seq === undefined && node?.lastSourceTimestamp) card.querySelector('.meta').textContent = `last reading ${time(node.lastSourceTimestamp)}`;
  for (const channel of state.channels.values()) {
    if (key(channel.site, channel.node) !== nodeKey) continue;
    const row = channelRow(card, channel);
    const latest = channel.latest;
    row.cells[1].textContent = formatValue(latest?.value, channel);
    row.cells[2].textContent = channel.unit || '';
    row.cells[3].textContent = latest ? latest.quality : '';
    row.cells[3].title = latest?.reason || '';
    row.cells[3].className = `quality quality-${latest ? latest.quality : 'none'}`;
    row.cells[4].replaceChildren();
    row.className = '';
    if (channel.alarm) {
      row.cells[4].append(levelBadge(channel.alarm.level));
      row.classList.add(channel.alarm.acknowledged ? 'in-alarm-acked' : 'in-alarm');
    }
  }
}

function stat(label, value, cls, title) {
  const box = el('div', `stat ${cls}`);
  box.append(el('span', 'stat-label', label), el('span', 'stat-value', value));
  if (title) box.title = title;
  return box;
}

async function refreshNodes() {
  try {
    const nodes = await api('/api/nodes');
    for (const n of nodes) state.nodes.set(key(n.site, n.node), n);
  } catch (e) {
    return;
  }
  for (const nodeKey of state.nodes.keys()) renderNodeCard(nodeKey);
  if (state.view.name === 'node') renderNodeHead();
  $('clock').textContent = new Date().toLocaleTimeString();
}

// ---------- node view with trend charts ----------

function windowMs() {
  return Number($('window').value);
}

function renderNodeHead() {
  const { site, node } = state.view;
  const n = state.nodes.get(key(site, node));
  $('node-title').textContent = `${node}`;
  const status = n ? n.status : 'unknown';
  $('node-status').textContent = status;
  $('node-status').className = `pill status-${status}`;
  $('node-meta').textContent = n ? `${site} · last seen ${ago(n.lastSeen)} · completeness ${n.completenessPercent ?? '—'} %` : site;
}

/** The chosen window, ending now, in uPlot's seconds: every chart of the page spans exactly this. */
function windowRange() {
  const now = Date.now();
  return [(now - windowMs()) / 1000, now / 1000];
}

/**
 * Shades the stretches where the channel's quality was not GOOD (u.notGood: [from, to] in seconds), behind the
 * curve: an UNCERTAIN or BAD value is not drawn as if it were sound.
 */
const qualityBands = {
  hooks: {
    drawClear: [(u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = 'rgba(239, 108, 0, 0.16)';
      for (const [from, to] of u.notGood || []) {
        const x0 = u.valToPos(Math.max(from, u.scales.x.min), 'x', true);
        const x1 = u.valToPos(Math.min(to, u.scales.x.max), 'x', true);
        if (x1 > x0) ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
      }
      ctx.restore();
    }],
  },
};

function chartOptions(channel, width) {
  const limits = channel.alarms || {};
  const limitSeries = ['hh', 'h', 'l', 'll'].filter((l) => limits[l] !== null && limits[l] !== undefined);
  return {
    width,
    height: 220,
    legend: { show: true },
    cursor: { drag: { x: true, y: false } },
    // all charts of the page share the chosen window, not each the span of its own points
    scales: { x: { time: true, range: () => windowRange() } },
    axes: [{}, { label: channel.unit || '', size: 60 }],
    plugins: [qualityBands],
    series: [
      {},
      // report by exception: a value holds until the next one, so it is drawn as a step, not a slope
      { label: channel.channel, stroke: '#1565c0', width: 1.5, fill: 'rgba(21,101,192,0.08)', spanGaps: false,
        paths: uPlot.paths.stepped({ align: 1 }), value: (u, v) => formatValue(v, channel) },
      ...limitSeries.map((l) => ({ label: l.toUpperCase(), stroke: l.length === 2 ? '#b71c1c' : '#ef6c00', width: 1,
        dash: [6, 4], points: { show: false } })),
    ],
    limitSeries,
  };
}

/** The chart's data over the window: the last value held up to now, and where the quality was not GOOD. */
function chartData(k, channel, limitSeries) {
  const s = seriesOf(k);
  const [from, now] = windowRange();
  let start = 0;
  while (start < s.ts.length && s.ts[start] < from * 1000) start++;
  // the value in force when the window opens, so a slow channel's step starts at the left edge
  if (start > 0) start--;
  const xs = s.ts.slice(start).map((t) => t / 1000);
  const vs = s.v.slice(start);
  const qs = s.q.slice(start);
  const notGood = [];
  for (let i = 0; i < xs.length; i++) {
    if (qs[i] !== 'GOOD') notGood.push([xs[i], i + 1 < xs.length ? xs[i + 1] : now]);
  }
  if (xs.length && xs[xs.length - 1] < now && vs[vs.length - 1] !== null) {
    xs.push(now);
    vs.push(vs[vs.length - 1]);
  }
  const data = [xs, vs];
  for (const l of limitSeries) data.push(xs.map(() => channel.alarms[l]));
  data.notGood = notGood;
  return data;
}

async function openNode(site, node) {
  state.view = { name: 'node', site, node };
  for (const chart of state.charts.values()) chart.destroy();
  state.charts.clear();
  renderNodeHead();
  const container = $('charts');
  container.replaceChildren();
  try {
    const detail = await api(`/api/nodes/${site}/${node}`);
    for (const c of detail.channelList) mergeChannel(c);
  } catch (e) {
    container.append(el('p', 'error', e.message));
    return;
  }
  const channels = [...state.channels.values()].filter((c) => c.site === site && c.node === node)
    .sort((a, b) => a.channel.localeCompare(b.channel, undefined, { numeric: true }));
  for (const channel of channels) {
    const k = key(site, node, channel.channel);
    const panel = el('section', 'chart-panel');
    panel.dataset.channel = channel.channel;
    const head = el('div', 'chart-head');
    head.append(el('h2', null, channel.channel), el('span', 'value big'), el('span', 'unit muted', channel.unit || ''),
      el('span', 'quality'), el('span', 'alarm-state'), el('span', 'spacer'),
      el('span', 'muted limits', describeLimits(channel)));
    const plot = el('div', 'chart');
    plot.dataset.channel = channel.channel;
    panel.append(head, plot);
    container.append(panel);
  }
  // history first (from the TSDB), then the charts continue with the live frames
  // long windows come as 10 s means (a 6 h window of 1 s readings would pass the API's point cap)
  const step = windowMs() > 3600 * 1000 ? '10s' : null;
  await Promise.all(channels.map((c) => loadHistory(key(site, node, c.channel), Date.now() - windowMs(), step).catch(() => 0)));
  if (state.view.name !== 'node' || state.view.node !== node) return;
  for (const channel of channels) {
    const k = key(site, node, channel.channel);
    const plot = container.querySelector(`.chart[data-channel="${CSS.escape(channel.channel)}"]`);
    const options = chartOptions(channel, Math.max(300, plot.clientWidth - 8));
    const data = chartData(k, channel, options.limitSeries);
    const chart = new uPlot(options, data, plot);
    chart.limitSeries = options.limitSeries;
    chart.notGood = data.notGood;
    chart.redraw(false, false);
    state.charts.set(k, chart);
  }
  refreshCharts();
}

function describeLimits(channel) {
  const a = channel.alarms;
  if (!a) return 'no alarm limits';
  const parts = ['ll', 'l', 'h', 'hh'].filter((l) => a[l] !== null && a[l] !== undefined)
    .map((l) => `${l.toUpperCase()} ${a[l]}`);
  return `${parts.join(' · ')} · hysteresis ${a.hysteresis} · delay ${a.delayMs / 1000} s`;
}

function refreshCharts() {
  if (state.view.name !== 'node') return;
  for (const [k, chart] of state.charts) {
    const channel = state.channels.get(k);
    const data = chartData(k, channel, chart.limitSeries);
    chart.notGood = data.notGood;
    chart.setData(data);
    const plot = chart.root.parentElement;
    plot.dataset.points = data[0].length;
    const head = plot.parentElement.querySelector('.chart-head');
    head.querySelector('.value').textContent = formatValue(channel.latest?.value, channel);
    const quality = head.querySelector('.quality');
    quality.textContent = channel.latest?.quality || '';
    quality.className = `quality quality-${channel.latest?.quality || 'none'}`;
    const alarm = head.querySelector('.alarm-state');
    alarm.replaceChildren(...(channel.alarm ? [levelBadge(channel.alarm.level)] : []));
  }
}

function mergeChannel(c) {
  const k = key(c.site, c.node, c.channel);
  const known = state.channels.get(k);
  if (known && known.latest && (!c.latest || known.latest.ts > c.latest.ts)) c.latest = known.latest;
  state.channels.set(k, c);
}

// ---------- routing ----------

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  for (const v of document.querySelectorAll('.view')) v.hidden = true;
  for (const a of document.querySelectorAll('nav a')) a.classList.remove('active');
  if (parts[0] === 'node' && parts.length === 3) {
    $('view-node').hidden = false;
    openNode(decodeURIComponent(parts[1]), decodeURIComponent(parts[2]));
  } else if (parts[0] === 'alarms') {
    state.view = { name: 'alarms' };
    $('view-alarms').hidden = false;
    document.querySelector('nav a[data-view="alarms"]').classList.add('active');
  } else {
    state.view = { name: 'overview' };
    $('view-overview').hidden = false;
    document.querySelector('nav a[data-view="overview"]').classList.add('active');
  }
  renderAlarms();
}

// ---------- sign-in (only when the server asks for a token) ----------

function showLogin(message) {
  $('login').hidden = false;
  document.querySelector('main').hidden = true;
  $('connection').textContent = 'signed out';
  $('connection').className = 'state offline';
  if (message) $('login-error').textContent = message;
  $('login-token').focus();
}

async function signIn(token) {
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return response.ok;
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (await signIn($('login-token').value)) {
    location.reload();
  } else {
    showLogin('Wrong token.');
  }
});

/** Whether the API answers: false (and the sign-in form shown) when the server asks for a token first. */
async function signedIn() {
  const link = new URLSearchParams(location.search).get('token');
  if (link) {
    // a sign-in link: exchange the token for a session cookie, then drop it from the address bar and history
    await signIn(link);
    history.replaceState(null, '', location.pathname + location.hash);
  }
  const probe = await fetch('/api/nodes');
  if (probe.status === 401) {
    showLogin();
    return false;
  }
  return true;
}

async function start() {
  if (!(await signedIn())) return;
  try {
    for (const c of await api('/api/channels')) mergeChannel(c);
  } catch (e) {
    // the live stream fills in
  }
  await refreshNodes();
  await refreshAlarms();
  window.addEventListener('hashchange', route);
  $('window').addEventListener('change', () => state.view.name === 'node' && openNode(state.view.site, state.view.node));
  route();
  connect();
  setInterval(refreshNodes, NODE_POLL_MS);
  // the window ends now: a quiet channel's last value keeps being drawn up to the present
  setInterval(refreshCharts, 1000);
  setInterval(refreshAlarms, 10 * NODE_POLL_MS); // events arrive live; this only heals a missed one
}

// For operators' tools and the browser tests: what the page holds, and a way to drop the socket.
window.iiot = {
  series: (site, node, channel) => {
    const s = state.series.get(key(site, node, channel));
    return s ? { ts: [...s.ts], v: [...s.v] } : { ts: [], v: [] };
  },
  dropConnection: (offlineMs = 0) => {
    state.offlineUntil = Date.now() + offlineMs;
    if (state.ws) state.ws.close();
  },
  reconnects: () => state.reconnects,
  bufferSizes: () => Object.fromEntries([...state.series].map(([k, s]) => [k, s.ts.length])),
  // the node view's charts: the span each shows (seconds) and its not-GOOD stretches
  charts: () => [...state.charts].map(([k, u]) => ({ channel: k, xMin: u.scales.x.min, xMax: u.scales.x.max,
    notGood: (u.notGood || []).length })),
  // one chart itself (uPlot), to see what it drew: its data, scales and canvas
  plot: (site, node, channel) => state.charts.get(key(site, node, channel)) || null,
};

start();
