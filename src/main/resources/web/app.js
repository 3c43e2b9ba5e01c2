// Live view: one card per node, one row per channel, updated from the server's WebSocket (/ws).
'use strict';

const nodesEl = document.getElementById('nodes');
const connectionEl = document.getElementById('connection');

function cardFor(msg) {
  const id = `node-${msg.site}-${msg.node}`;
  let card = document.getElementById(id);
  if (!card) {
    document.getElementById('waiting')?.remove();
    card = document.createElement('section');
    card.className = 'node';
    card.id = id;
    card.dataset.node = msg.node;
    const title = document.createElement('h2');
    title.textContent = `${msg.node} (${msg.site})`;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const table = document.createElement('table');
    card.append(title, meta, table);
    nodesEl.append(card);
  }
  return card;
}

function rowFor(card, channel) {
  let row = card.querySelector(`tr[data-channel="${CSS.escape(channel)}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.channel = channel;
    for (const cls of ['channel', 'value', 'unit', 'quality']) {
      const cell = document.createElement('td');
      cell.className = cls;
      row.append(cell);
    }
    row.cells[0].textContent = channel;
    const table = card.querySelector('table');
    const next = [...table.rows].find(r => r.dataset.channel.localeCompare(channel, undefined, { numeric: true }) > 0);
    table.insertBefore(row, next ?? null);
  }
  return row;
}

function show(msg) {
  const card = cardFor(msg);
  card.querySelector('.meta').textContent =
    `seq ${msg.seq} · ${new Date(msg.ts).toLocaleTimeString()}`;
  for (const r of msg.readings) {
    const row = rowFor(card, r.channel);
    row.cells[1].textContent = r.value === null ? '—' : Number(r.value).toFixed(3);
    row.cells[2].textContent = r.unit;
    row.cells[3].textContent = r.quality + (r.reason ? ` (${r.reason})` : '');
    row.cells[3].className = `quality quality-${r.quality}`;
  }
}

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onopen = () => { connectionEl.textContent = 'live'; connectionEl.className = 'state online'; };
  ws.onmessage = (event) => show(JSON.parse(event.data));
  ws.onclose = () => {
    connectionEl.textContent = 'reconnecting…';
    connectionEl.className = 'state offline';
    setTimeout(connect, 2000);
  };
}

connect();
