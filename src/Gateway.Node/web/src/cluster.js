// The /cluster page: every node of the lab, its pipeline, sinks and stages, remote sinks and
// recordings, from GET /api/cluster once a second (docs/api.md), with rates computed from the last
// two snapshots and the same warnings as the terminal console (src/Gateway.Node/Console/ClusterWarnings.cs):
// red where data is lost or a part failed, yellow where something needs a look. The actions POST to
// the control API with the control token, asked once and kept in localStorage.

const TOKEN_KEY = 'eeg.controlToken';
const $ = (id) => document.getElementById(id);
const state = { snapshot: null, previous: null, updates: 0, pending: null };
window.cluster = state;

// ---------- formatting

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtNum = (v) => (v >= 100 ? fmtInt(v) : (Math.round(v * 10) / 10).toString());
function fmtBytes(n) {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} kB`;
}
function fmtDuration(s) {
  s = Math.max(0, s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${s.toFixed(1)} s`;
}
const hz = (v) => (v > 0 ? `${v} Hz` : 'off');
const fmtFilters = (f) => (f ? `hp ${hz(f.highpassHz)}, lp ${hz(f.lowpassHz)}, notch ${hz(f.notchHz)}` : '-');

// ---------- rates between two snapshots (per second of the gateway's own clock)

function rates(previous, current) {
  const r = { samples: new Map(), overruns: new Map(), corrupt: new Map(), drops: new Map() };
  if (!previous) return r;
  const seconds = (Date.parse(current.time) - Date.parse(previous.time)) / 1000;
  if (!(seconds > 0)) return r;
  const put = (map, key, delta) => { if (delta >= 0) map.set(key, delta / seconds); };
  for (const node of current.nodes) {
    const before = previous.nodes.find((n) => n.address === node.address);
    if (!before || !node.answered || !before.answered) continue;
    if (node.pipeline && before.pipeline) {
      put(r.samples, node.address, node.pipeline.samples - before.pipeline.samples);
      put(r.overruns, node.address, node.pipeline.overruns - before.pipeline.overruns);
      put(r.corrupt, node.address, node.pipeline.corruptFrames - before.pipeline.corruptFrames);
    }
    for (const sink of node.sinks ?? []) {
      const old = (before.sinks ?? []).find((s) => s.name === sink.name);
      if (old) put(r.drops, `${node.address}|${sink.name}`, sink.dropped - old.dropped);
    }
  }
  return r;
}

// Acquisition, processing, gateway, then the rest, each by address (as Console/ClusterView.cs).
const roleRank = (n) => Math.min(3, ...n.roles.map((r) => ({ acquisition: 0, processing: 1, gateway: 2 })[r] ?? 3));
const inLabOrder = (nodes) => [...nodes].sort((a, b) => roleRank(a) - roleRank(b) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));

const lossless = (sink) => (sink.policy ?? '').toLowerCase() === 'lossless';

// ---------- warnings: the console's rules

function warnings(snapshot, r) {
  const list = [];
  const loss = (text) => list.push({ level: 'loss', text });
  const attention = (text) => list.push({ level: 'attention', text });
  for (const n of snapshot.nodes) {
    const at = n.address;
    if (!n.reachable) loss(`node ${at} is unreachable (${n.state})`);
    if (!n.answered) { loss(`node ${at} did not answer${n.error ? ': ' + n.error : ''}`); continue; }
    const p = n.pipeline;
    if (p) {
      const o = r.overruns.get(at);
      if (o > 0) loss(`overruns rising on ${at}: ${fmtNum(o)}/s (${p.overruns} in all): samples are lost at the source`);
      else if (p.overruns > 0) attention(`${p.overruns} overruns on ${at} since it started`);
      if (r.corrupt.get(at) > 0) attention(`corrupt frames rising on ${at} (${p.corruptFrames} in all)`);
    }
    for (const s of n.sinks ?? []) {
      const what = `${s.kind === s.name ? s.name : `${s.kind} ${s.name}`} on ${at}`;
      if (s.failed) loss(`${what} FAILED${s.failureReason ? ': ' + s.failureReason : ''}`);
      else if (!s.running) attention(`${what} is stopped`);
      const d = r.drops.get(`${at}|${s.name}`);
      if (lossless(s) && s.dropped > 0) loss(`lossless ${what} dropped ${s.dropped} frames`);
      else if (!lossless(s) && d > 0) attention(`${what} drops ${fmtNum(d)} frames/s (${s.policy})`);
    }
    for (const rs of n.remoteSinks ?? []) {
      if (rs.lossless && (rs.droppedFrames > 0 || rs.lostSamples > 0)) loss(`lossless remote sink ${rs.name} on ${at} dropped ${rs.droppedFrames} frames (${rs.lostSamples} samples)`);
      else if (rs.lossless && rs.spooledFrames > 0) attention(`remote sink ${rs.name} on ${at} spools ${rs.spooledFrames} frames (its consumer is behind or away)`);
    }
    for (const rec of n.recordings ?? []) {
      if (rec.state === 'failed') loss(`recording ${rec.name} on ${at} FAILED${rec.failureReason ? ': ' + rec.failureReason : ''}`);
      else if (rec.state === 'recording' && rec.gapSamples > 0) attention(`recording ${rec.name} on ${at} has ${rec.gapSamples} samples lost upstream (annotated)`);
    }
  }
  return list;
}

// ---------- rendering

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (cls) td.className = cls;
  return td;
}
function button(text, onclick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.onclick = onclick;
  return b;
}
function fill(tableId, rows, emptyText, columns) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren(...rows);
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    tr.className = 'empty';
    const td = cell(emptyText);
    td.colSpan = columns;
    tr.append(td);
    body.append(tr);
  }
}

function render(snapshot, r) {
  $('snapshot-time').textContent = `${snapshot.nodes.length} node(s) · snapshot ${snapshot.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`;

  const list = warnings(snapshot, r);
  const items = list.map((w) => { const li = document.createElement('li'); li.className = w.level; li.textContent = `! ${w.text}`; return li; });
  if (items.length === 0) { const li = document.createElement('li'); li.className = 'fine'; li.textContent = 'no data lost, nothing failed'; items.push(li); }
  $('warnings').replaceChildren(...items);

  fill('nodes', snapshot.nodes.map((n) => {
    const tr = document.createElement('tr');
    tr.dataset.address = n.address;
    const bad = !n.reachable || !n.answered;
    if (bad) tr.className = 'loss';
    const stateText = `${n.state}${n.reachable ? '' : ', unreachable'}${n.answered ? '' : ', no answer'}`;
    tr.append(cell(n.address), cell(n.roles.join(', ')), cell(stateText, bad ? 'loss' : n.state === 'Up' ? '' : 'attention'));
    if (!n.answered) {
      const why = cell(n.error ?? 'did not answer', 'loss wrap');
      why.colSpan = 5;
      tr.append(why);
    } else {
      const clock = n.clockOffsetMicros == null ? 'not measured'
        : `${n.clockOffsetMicros >= 0 ? '+' : ''}${n.clockOffsetMicros.toFixed(1)} µs${n.clockRoundTripMicros == null ? '' : ` (rtt ${Math.round(n.clockRoundTripMicros)})`}`;
      tr.append(cell(fmtDuration(n.uptimeSeconds), 'num'), cell(clock, 'num'), cell(fmtBytes(n.memoryBytes), 'num'), cell(fmtBytes(n.gcHeapBytes), 'num'),
        cell(n.gc ? `${n.gc.gen0}/${n.gc.gen1}/${n.gc.gen2}` : '-', 'num'));
    }
    const actions = cell('');
    if (n.address !== 'local' && n.state === 'Up') {
      actions.append(button('Leave', () => {
        if (confirm(`Make ${n.address} leave the cluster? Its roles stop until it is started again.`)) act('api/nodes/leave', { address: n.address }, (a) => `node ${a.address} is ${a.state}`);
      }));
    }
    tr.append(actions);
    return tr;
  }), 'no node answered', 9);

  fill('pipeline', snapshot.nodes.filter((n) => n.pipeline).map((n) => {
    const p = n.pipeline;
    const tr = document.createElement('tr');
    const rate = r.samples.get(n.address);
    const o = r.overruns.get(n.address);
    const lat = p.latencyMicros;
    tr.append(cell(n.address), cell(p.source), cell(String(p.channels), 'num'),
      cell(`${rate == null ? '-' : fmtNum(rate)} / ${fmtNum(p.sampleRate)}`, 'num' + (rate != null && rate < p.sampleRate * 0.9 ? ' attention' : '')),
      cell(fmtInt(p.samples), 'num'),
      cell(o > 0 ? `${p.overruns} (+${fmtNum(o)}/s)` : String(p.overruns), 'num' + (o > 0 ? ' loss' : p.overruns > 0 ? ' attention' : '')),
      cell(String(p.corruptFrames), 'num' + (r.corrupt.get(n.address) > 0 ? ' attention' : '')),
      cell(lat ? `${fmtNum(lat.p50)}/${fmtNum(lat.p99)} µs` : '-', 'num'),
      cell(p.impedanceCheck ? 'on' : 'off', p.impedanceCheck ? 'attention' : ''),
      cell(fmtFilters(p.filters)));
    return tr;
  }), 'no acquisition node answered', 10);

  const sinkRows = [];
  for (const n of snapshot.nodes) {
    for (const s of n.sinks ?? []) {
      const tr = document.createElement('tr');
      tr.dataset.sink = s.name;
      const d = r.drops.get(`${n.address}|${s.name}`);
      const lost = lossless(s) && s.dropped > 0;
      if (lost || s.failed) tr.className = 'loss';
      tr.append(cell(n.address), cell(s.name), cell(s.kind), cell(s.policy), cell(`${s.depth}/${s.capacity}`, 'num'),
        cell(fmtInt(s.enqueued), 'num'), cell(fmtInt(s.delivered), 'num'),
        cell(lost ? `${fmtInt(s.dropped)} LOST` : fmtInt(s.dropped), 'num' + (lost ? ' loss' : d > 0 ? ' attention' : '')),
        cell(d == null ? '-' : fmtNum(d), 'num' + (d > 0 ? (lossless(s) ? ' loss' : ' attention') : '')),
        cell(`${s.blockedSeconds.toFixed(1)} s`, 'num'),
        cell(String(s.restarts), 'num' + (s.restarts > 0 ? ' attention' : '')),
        cell(s.failed ? `FAILED${s.failureReason ? ': ' + s.failureReason : ''}` : s.running ? 'running' : 'stopped',
          s.failed ? 'loss wrap' : s.running ? '' : 'attention'));
      const actions = cell('');
      if (s.kind === 'stage') {
        const stage = encodeURIComponent(s.name);
        actions.append(
          button('Restart', () => act(`api/stages/${stage}/restart`, null, (a) => `stage ${a.stage} on ${a.node} restarted (restarts: ${a.restarts})`)),
          s.running
            ? button('Stop', () => act(`api/stages/${stage}/stop`, null, (a) => `stage ${a.stage} on ${a.node} stopped`))
            : button('Start', () => act(`api/stages/${stage}/start`, null, (a) => `stage ${a.stage} on ${a.node} is ${a.running ? 'running' : 'stopped'}`)));
      }
      tr.append(actions);
      sinkRows.push(tr);
    }
  }
  fill('sinks', sinkRows, 'no sink or stage reported', 13);

  const remoteRows = [];
  for (const n of snapshot.nodes) {
    for (const rs of n.remoteSinks ?? []) {
      const tr = document.createElement('tr');
      const lost = rs.droppedFrames > 0 || rs.lostSamples > 0;
      if (lost && rs.lossless) tr.className = 'loss';
      tr.append(cell(n.address), cell(rs.name), cell(rs.lossless ? 'lossless' : 'lossy'),
        cell(rs.consumer ?? 'none', rs.consumer ? 'wrap' : 'attention'),
        cell(String(rs.credit), 'num'), cell(String(rs.inFlight), 'num'), cell(String(rs.inMemory), 'num'),
        cell(rs.spooledFrames > 0 ? `${rs.spooledFrames} frames, ${fmtBytes(rs.spoolBytes)}` : '0', 'num' + (rs.spooledFrames > 0 ? ' attention' : '')),
        cell(fmtInt(rs.framesSent), 'num'),
        cell(fmtInt(rs.droppedFrames), 'num' + (lost ? (rs.lossless ? ' loss' : ' attention') : '')),
        cell(fmtInt(rs.lostSamples), 'num' + (rs.lostSamples > 0 && rs.lossless ? ' loss' : '')));
      remoteRows.push(tr);
    }
  }
  fill('remote-sinks', remoteRows, 'no remote sink (all roles in one process, or the acquisition node did not answer)', 11);

  const recRows = [];
  for (const n of snapshot.nodes) {
    for (const rec of n.recordings ?? []) {
      const tr = document.createElement('tr');
      if (rec.state === 'failed') tr.className = 'loss';
      tr.append(cell(n.address), cell(rec.files?.length ? rec.files.join(', ') : rec.name, 'wrap'),
        cell(fmtDuration(rec.durationSeconds), 'num'), cell(fmtBytes(rec.sizeBytes), 'num'),
        cell(rec.gapSamples > 0 ? `${rec.gapSamples} samples` : '0', 'num' + (rec.gapSamples > 0 ? ' attention' : '')),
        cell(rec.state === 'failed' ? `FAILED${rec.failureReason ? ': ' + rec.failureReason : ''}` : rec.state, rec.state === 'failed' ? 'loss wrap' : ''));
      recRows.push(tr);
    }
  }
  fill('recordings', recRows, 'no recording in this run', 6);
}

// ---------- polling

function connected(on, text) {
  const c = $('conn');
  c.textContent = text;
  c.className = `conn ${on ? 'on' : 'off'}`;
}

async function poll() {
  try {
    const response = await fetch('api/cluster', { cache: 'no-store' });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new Error(json?.error ?? `GET /api/cluster: HTTP ${response.status}`);
    json.nodes = inLabOrder(json.nodes);
    state.previous = state.snapshot;
    state.snapshot = json;
    render(json, rates(state.previous, json));
    state.updates++;
    document.body.dataset.clusterUpdates = String(state.updates);
    document.body.dataset.nodes = String(json.nodes.length);
    connected(true, 'live');
  } catch (e) {
    connected(false, 'no answer');
    $('snapshot-time').textContent = `the gateway does not answer: ${e.message}`;
  } finally {
    setTimeout(poll, 1000);
  }
}

// ---------- control: token and actions

function showResult(text, ok) {
  const r = $('action-result');
  r.textContent = text;
  r.className = `action-result ${ok ? 'ok' : 'bad'}`;
}

function askToken(message, bad) {
  $('token-message').textContent = message;
  $('token-bar').classList.toggle('bad', !!bad);
  $('token-bar').hidden = false;
  $('token-input').value = '';
  $('token-input').focus();
}

async function post(path, body) {
  const token = localStorage.getItem(TOKEN_KEY);
  const headers = { authorization: `Bearer ${token ?? ''}` };
  if (body) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method: 'POST', headers, body: body ? JSON.stringify(body) : undefined });
  const json = await response.json().catch(() => null);
  return { status: response.status, json };
}

// Runs an action; without a token, or with a refused one, asks for it and runs the action again once saved.
async function act(path, body, describe) {
  if (!localStorage.getItem(TOKEN_KEY)) {
    state.pending = () => act(path, body, describe);
    askToken('This action needs the control token (printed by the gateway at its first start, or in its token file):');
    return;
  }
  try {
    const { status, json } = await post(path, body);
    if (status === 401) {
      localStorage.removeItem(TOKEN_KEY);
      state.pending = () => act(path, body, describe);
      showResult(`wrong or missing control token (401): ${json?.error ?? ''}`, false);
      askToken('wrong or missing control token: enter it again', true);
      return;
    }
    if (status < 200 || status >= 300) {
      showResult(`${path}: ${status} ${json?.error ?? ''}`, false);
      return;
    }
    showResult(describe(json ?? {}), true);
  } catch (e) {
    showResult(`${path}: ${e.message}`, false);
  }
}

function number(id) {
  const text = $(id).value.trim();
  if (text === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}

function wire() {
  $('token-button').onclick = () => askToken(localStorage.getItem(TOKEN_KEY) ? 'A control token is saved; enter another one or forget it:' : 'Control token:');
  $('token-save').onclick = () => {
    const value = $('token-input').value.trim();
    if (!value) return;
    localStorage.setItem(TOKEN_KEY, value);
    $('token-bar').hidden = true;
    const pending = state.pending;
    state.pending = null;
    if (pending) pending();
  };
  $('token-input').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('token-save').click(); });
  $('token-forget').onclick = () => { localStorage.removeItem(TOKEN_KEY); $('token-bar').hidden = true; showResult('control token forgotten in this browser', true); };
  $('token-cancel').onclick = () => { state.pending = null; $('token-bar').hidden = true; };

  const recording = (what) => (a) => `${what}: ${a.files?.length ? a.files.join(', ') : a.name} (${a.state})`;
  $('rec-start').onclick = () => act('api/recordings/start', { subject: $('rec-subject').value || null, session: $('rec-session').value || null }, recording('recording started'));
  $('rec-stop').onclick = () => act('api/recordings/stop', null, recording('recording stopped'));
  $('rec-mark').onclick = () => {
    const text = $('rec-marker').value.trim();
    if (!text) { showResult('a marker needs a text', false); return; }
    act('api/recordings/marker', { text }, () => { $('rec-marker').value = ''; return `marker added: ${text}`; });
  };
  $('imp-on').onclick = () => act('api/impedance', { on: true }, (a) => `impedance check ${a.impedanceCheck ? 'on' : 'off'}`);
  $('imp-off').onclick = () => act('api/impedance', { on: false }, (a) => `impedance check ${a.impedanceCheck ? 'on' : 'off'}`);
  $('f-apply').onclick = () => {
    const body = {};
    for (const [id, key] of [['f-highpass', 'highpassHz'], ['f-lowpass', 'lowpassHz'], ['f-notch', 'notchHz']]) {
      const v = number(id);
      if (Number.isNaN(v) || v < 0) { showResult(`${key}: "${$(id).value}" is not a frequency in Hz (0 or more; 0 = off)`, false); return; }
      if (v !== undefined) body[key] = v;
    }
    if (Object.keys(body).length === 0) { showResult('enter at least one filter frequency', false); return; }
    act('api/filters', body, (a) => `filters now: ${fmtFilters(a)}`);
  };
}

wire();
poll();
