// The live scope: stacked channels (uPlot, min/max per pixel column), markers for gaps and
// triggers, a Welch PSD per channel, the pipeline's counters and the stages' outputs.
import uPlot from 'uplot';
import { readFrames, FLAG_GAP } from './protocol.js';
import { SampleRing } from './ring.js';
import { welch } from './fft.js';
import { startRecordingPanel } from './recording.js';

const SCALES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const MAX_SECONDS = 20;
// The gateway decimates for display (every k-th sample) so the browser gets about 1000 samples/s
// per channel: 4x less traffic and parsing at 4000 SPS, still 5x the 0-100 Hz the PSD shows and
// above the DSP's low-pass, so the traces keep their shape. Pixel-column min/max below does the rest.
const DISPLAY_RATE = 1000;
const PALETTE = ['#1f4e9c', '#b23a48', '#2a7f62', '#8a5a00', '#5b3c99', '#0b7a91', '#a64d79', '#4a5a1d'];
const $ = (id) => document.getElementById(id);

const state = {
  socket: null, clientId: null, stream: null, decimation: 1, ready: false, paused: false,
  ring: null, visible: [], scale: 50, channelScale: [], removeDc: true, timebase: 10,
  gaps: [], triggers: [], stages: new Map(), events: [],
  stats: { frames: 0, messages: 0, samples: 0, gaps: 0, statusUpdates: 0, draws: 0, drawnChannels: 0, tooSlow: null },
  prevStatus: null,
};
window.scope = state; // for the browser test and for curious researchers (console)

// ---------- connection ----------
let retryMs = 500;
function connect() {
  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  state.socket = ws;
  ws.onopen = () => { setConn(true, 'live'); retryMs = 500; };
  ws.onclose = () => {
    setConn(false, state.stats.tooSlow ? 'closed: too slow' : 'reconnecting');
    state.ready = false;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
  };
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') onText(JSON.parse(event.data));
    else onBinary(event.data);
  };
}

function send(request) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(request));
}

function setConn(on, text) {
  const el = $('conn');
  el.textContent = text;
  el.className = 'conn ' + (on ? 'on' : 'off');
}

function onText(msg) {
  switch (msg.type) {
    case 'stream': onStream(msg); break;
    case 'subscribed':
      state.clientId = msg.clientId ?? state.clientId;
      state.decimation = msg.decimation;
      state.ready = true;
      break;
    case 'status': onStatus(msg.status); break;
    case 'triggers':
      for (const t of msg.events) state.triggers.push({ index: t.sampleIndex, code: t.code });
      trimMarkers();
      break;
    case 'stage-output': onStageOutput(msg); break;
    case 'stage-event':
      state.events.unshift(msg);
      state.events.length = Math.min(state.events.length, 6);
      renderEvents();
      break;
    case 'too-slow': state.stats.tooSlow = msg.message; setConn(false, 'too slow'); break;
    case 'error': console.warn('gateway:', msg.message); break;
  }
}

function onStream(s) {
  const changed = !state.stream || state.stream.channels !== s.channels || state.stream.sampleRate !== s.sampleRate;
  state.stream = s;
  const k = Math.max(1, Math.floor(s.sampleRate / DISPLAY_RATE));
  state.ready = false;
  send({ type: 'subscribe', decimation: k });
  $('stream-info').textContent =
    `${s.source} · ${s.channels} ch · ${s.sampleRate} S/s · gain ${s.gain} · ${s.units === 'uV' ? 'µV' : s.units} · display every ${k}${k === 1 ? 'st' : 'th'} sample (${(s.sampleRate / k).toFixed(0)} S/s)`;
  $('filters').textContent = 'filters: ' + (s.filters || 'none');
  if (changed) {
    state.ring = new SampleRing(s.channels, Math.ceil((MAX_SECONDS + 0.5) * s.sampleRate / k));
    state.visible = s.channelNames.map(() => true);
    state.channelScale = s.channelNames.map(() => null);
    state.gaps = [];
    state.triggers = [];
    buildChannelPanel();
    buildPlots();
  }
}

let identity = [];
function onBinary(buffer) {
  state.stats.messages++;
  if (!state.ready || !state.ring || state.paused) return;
  const ring = state.ring;
  if (identity.length !== ring.channels) identity = Array.from({ length: ring.channels }, (_, i) => i);
  readFrames(buffer, (h, values) => {
    if (h.channels !== ring.channels) return;
    const expected = ring.written > 0 ? ring.lastIndex() + state.decimation : h.firstIndex;
    // A jump with the gap flag was lost upstream (acquisition); one without it was dropped by the
    // gateway for this browser (it fell behind). Both are drawn, in different colours.
    if ((h.flags & FLAG_GAP) || (ring.written > 0 && h.firstIndex > expected)) {
      state.gaps.push({ index: h.firstIndex, lost: h.firstIndex - expected, upstream: (h.flags & FLAG_GAP) !== 0 });
      state.stats.gaps++;
      trimMarkers();
    }
    ring.push(values, h.channels, h.samples, h.firstIndex, state.decimation, identity);
    state.stats.frames++;
    state.stats.samples += h.samples;
  });
}

function trimMarkers() {
  const oldest = state.ring ? state.ring.lastIndex() - MAX_SECONDS * (state.stream?.sampleRate ?? 0) : 0;
  state.gaps = state.gaps.filter((g) => g.index >= oldest).slice(-200);
  state.triggers = state.triggers.filter((t) => t.index >= oldest).slice(-200);
}

// ---------- status ----------
function onStatus(s) {
  state.stats.statusUpdates++;
  document.body.dataset.statusUpdates = String(state.stats.statusUpdates);
  const prev = state.prevStatus;
  if (prev && s.uptimeSeconds > prev.uptimeSeconds) {
    const rate = (s.samples - prev.samples) / (s.uptimeSeconds - prev.uptimeSeconds);
    $('c-rate').textContent = `${rate.toFixed(0)} S/s`;
  }
  state.prevStatus = s;
  setCounter('c-overruns', s.overruns, s.overruns > 0);
  const scope = s.sinks && s.sinks.scope;
  const gatewayDrops = s.gateway ? s.gateway.framesDropped : 0;
  setCounter('c-drops', (scope ? scope.dropped : 0) + gatewayDrops, (scope ? scope.dropped : 0) + gatewayDrops > 0);
  const me = s.gateway && s.gateway.clients.find((c) => c.id === state.clientId);
  if (me) setCounter('c-mydrops', me.framesDropped, me.framesDropped > 0);
  $('c-p99').textContent = formatMicros(s.latencyMicros.p99) + (scope ? ` / ${formatMicros(scope.latencyMicros.p99)}` : '');
  $('c-p99').title = 'pipeline p99 / scope sink p99 (DRDY to receipt)';
  $('c-uptime').textContent = formatDuration(s.uptimeSeconds);
  $('c-frames').textContent = `${state.stats.frames.toLocaleString('en-US')} fr`;
}

function setCounter(id, value, bad) {
  const el = $(id);
  el.textContent = Number(value).toLocaleString('en-US');
  el.classList.toggle('bad', !!bad);
}

const formatMicros = (us) => (us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(0)} µs`);
function formatDuration(s) {
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}:${String(sec).padStart(2, '0')}`;
}

// ---------- stage outputs ----------
function onStageOutput(msg) {
  state.stages.set(`${msg.stage} · ${msg.output}`, msg);
  renderStages();
}

let stagesQueued = false;
function renderStages() {
  if (stagesQueued) return;
  stagesQueued = true;
  requestAnimationFrame(() => {
    stagesQueued = false;
    const root = $('stages');
    root.replaceChildren();
    for (const [name, msg] of state.stages) {
      const box = document.createElement('div');
      box.className = 'stage';
      box.innerHTML = `<div class="stage-name"></div>`;
      box.firstChild.textContent = name;
      const max = Math.max(1e-12, ...msg.values.map((v) => Math.abs(v ?? 0)));
      msg.values.forEach((v, i) => {
        const row = document.createElement('div');
        row.className = 'bar';
        const label = msg.labels ? msg.labels[i] : String(i);
        row.innerHTML = `<span></span><div class="track"><div class="fill"></div></div><span class="val"></span>`;
        row.children[0].textContent = label;
        row.querySelector('.fill').style.width = `${(100 * Math.abs(v ?? 0) / max).toFixed(1)}%`;
        row.children[2].textContent = v == null ? '-' : Number(v).toPrecision(3);
        box.appendChild(row);
      });
      root.appendChild(box);
    }
  });
}

function renderEvents() {
  $('events').innerHTML = state.events
    .map((e) => `<div>${escapeHtml(e.stage)}: ${escapeHtml(e.name)} @ ${(e.sampleIndex / (state.stream?.sampleRate || 1)).toFixed(2)} s</div>`)
    .join('');
}
const escapeHtml = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// ---------- channel panel and toolbar ----------
function buildChannelPanel() {
  const root = $('channels');
  root.replaceChildren();
  state.stream.channelNames.forEach((name, c) => {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = state.visible[c];
    box.onchange = () => { state.visible[c] = box.checked; buildPlots(); };
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = PALETTE[c % PALETTE.length];
    const label = document.createElement('span');
    label.textContent = name;
    const scale = document.createElement('select');
    scale.innerHTML = '<option value="">global</option>' + SCALES.map((s) => `<option value="${s}">${s} µV</option>`).join('');
    scale.onchange = () => { state.channelScale[c] = scale.value ? Number(scale.value) : null; };
    scale.title = `${name}: µV/div`;
    root.append(box, swatch, label, scale);
  });
}

function setupToolbar() {
  const scale = $('scale');
  scale.innerHTML = SCALES.map((s) => `<option value="${s}" ${s === state.scale ? 'selected' : ''}>${s}</option>`).join('');
  scale.onchange = () => { state.scale = Number(scale.value); };
  $('timebase').onchange = (e) => { state.timebase = Number(e.target.value); };
  $('dc').onchange = (e) => { state.removeDc = e.target.checked; };
  $('pause').onclick = () => {
    state.paused = !state.paused;
    send({ type: state.paused ? 'pause' : 'resume' });
    $('pause').textContent = state.paused ? 'Resume' : 'Pause';
  };
  $('all').onclick = () => { state.visible = state.visible.map(() => true); buildChannelPanel(); buildPlots(); };
  $('none').onclick = () => { state.visible = state.visible.map(() => false); buildChannelPanel(); buildPlots(); };
}

// ---------- plots ----------
let scopePlot = null, psdPlot = null, shown = [], columns = 0, xs = null, ys = [];

function buildPlots() {
  if (!state.stream) return;
  shown = state.visible.map((v, c) => (v ? c : -1)).filter((c) => c >= 0);
  const names = state.stream.channelNames;
  const lanes = shown.length;
  const baselines = shown.map((_, i) => lanes - i - 0.5);

  scopePlot?.destroy();
  const el = $('scope');
  scopePlot = new uPlot({
    width: el.clientWidth, height: Math.max(120, el.clientHeight),
    legend: { show: false }, cursor: { show: false },
    scales: { x: { time: false, auto: false }, y: { auto: false, range: [0, Math.max(1, lanes)] } },
    axes: [
      { label: 'time since start (s)', labelSize: 18, size: 34, values: (u, splits) => splits.map((v) => v.toFixed(1)), grid: { stroke: '#eceef1', width: 1 } },
      { splits: () => baselines, values: () => shown.map((c) => names[c]), size: 44, gap: 3, grid: { stroke: '#f1f2f4', width: 1 }, ticks: { show: false }, font: '11px system-ui, sans-serif' },
    ],
    series: [{}, ...shown.map((c) => ({ stroke: PALETTE[c % PALETTE.length], width: 1, points: { show: false }, spanGaps: false }))],
    hooks: { draw: [drawMarkers] },
  }, [[], ...shown.map(() => [])], el);

  psdPlot?.destroy();
  const pel = $('psd');
  psdPlot = new uPlot({
    width: pel.clientWidth, height: pel.clientHeight,
    legend: { show: false }, cursor: { show: false },
    scales: { x: { time: false, auto: false, range: [0, 100] }, y: { distr: 3, auto: true } },
    axes: [
      { label: 'frequency (Hz)', labelSize: 18, size: 34, splits: () => [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] },
      {
        label: 'µV²/Hz', labelSize: 16, size: 56, grid: { stroke: '#eceef1', width: 1 },
        // Decades only: uPlot's log axis would also draw 2..9 x each decade, a wall of lines.
        splits: (u, i, min, max) => decades(min, max),
        values: (u, splits) => splits.map((v) => (v == null ? '' : v >= 1 ? v.toFixed(0) : v.toExponential(0))),
      },
    ],
    series: [{}, ...shown.map((c) => ({ stroke: PALETTE[c % PALETTE.length], width: 1, points: { show: false } }))],
  }, [[], ...shown.map(() => [])], pel);
  columns = 0;
}

window.addEventListener('resize', () => {
  scopePlot?.setSize({ width: $('scope').clientWidth, height: Math.max(120, $('scope').clientHeight) });
  psdPlot?.setSize({ width: $('psd').clientWidth, height: $('psd').clientHeight });
  columns = 0;
});

function decades(min, max) {
  const out = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    const v = 10 ** e;
    if (v >= min && v <= max) out.push(v);
  }
  return out;
}

function drawMarkers(u) {
  const rate = state.stream?.sampleRate;
  if (!rate) return;
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const [min, max] = [u.scales.x.min, u.scales.x.max];
  ctx.save();
  ctx.lineWidth = Math.max(1, devicePixelRatio);
  ctx.font = `${10 * devicePixelRatio}px system-ui, sans-serif`;
  const px = devicePixelRatio;
  const line = (index, color, label, dashed) => {
    const t = index / rate;
    if (t < min || t > max) return;
    const x = Math.round(u.valToPos(t, 'x', true));
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * px;
    ctx.setLineDash(dashed ? [5 * px, 3 * px] : []);
    ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
    const w = ctx.measureText(label).width + 6 * px;
    const lx = Math.min(x + 2 * px, left + width - w);
    ctx.fillStyle = color;
    ctx.fillRect(lx, top, w, 13 * px);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, lx + 3 * px, top + 10 * px);
  };
  ctx.font = `600 ${10 * px}px system-ui, sans-serif`;
  // uPlot leaves its axis text alignment on the context.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  for (const g of state.gaps) {
    const ms = g.lost > 0 ? ` ${(g.lost / rate * 1000).toFixed(0)} ms` : '';
    line(g.index, g.upstream ? '#d62828' : '#e07b00', g.upstream ? `gap${ms}` : `dropped${ms}`, true);
  }
  for (const t of state.triggers) line(t.index, '#2a9d3f', `T${t.code}`, false);

  // Scale bar: one lane (one division) in µV at the global scale, bottom right of the plot.
  const lanes = shown.length;
  if (lanes > 0) {
    const y0 = u.valToPos(0, 'y', true), y1 = u.valToPos(1, 'y', true);
    const x = left + width - 8 * px;
    ctx.setLineDash([]);
    ctx.strokeStyle = '#1d2430';
    ctx.lineWidth = 2 * px;
    ctx.beginPath(); ctx.moveTo(x, y0); ctx.lineTo(x, y1); ctx.moveTo(x - 4 * px, y0); ctx.lineTo(x + 2 * px, y0); ctx.moveTo(x - 4 * px, y1); ctx.lineTo(x + 2 * px, y1); ctx.stroke();
    const label = `${state.scale} µV`;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    const w = ctx.measureText(label).width;
    ctx.fillRect(x - w - 10 * px, (y0 + y1) / 2 - 8 * px, w + 4 * px, 14 * px);
    ctx.fillStyle = '#1d2430';
    ctx.fillText(label, x - w - 8 * px, (y0 + y1) / 2 + 3 * px);
  }
  ctx.restore();
}

/** Geometry of each lane in canvas pixels (for the browser test's pixel check). */
state.lanes = () => {
  if (!scopePlot) return [];
  const lanes = shown.length;
  return shown.map((c, i) => ({
    channel: c, name: state.stream.channelNames[c],
    top: Math.round(scopePlot.valToPos(lanes - i, 'y', true)),
    bottom: Math.round(scopePlot.valToPos(lanes - i - 1, 'y', true)),
    left: Math.round(scopePlot.bbox.left), right: Math.round(scopePlot.bbox.left + scopePlot.bbox.width),
  }));
};

function drawScope() {
  const ring = state.ring;
  if (!scopePlot || !ring || ring.count < 2) return;
  const started = performance.now();
  const rate = state.stream.sampleRate;
  const displayRate = rate / state.decimation;
  const n = Math.min(ring.count, Math.round(state.timebase * displayRate));
  const width = Math.max(50, Math.floor(scopePlot.bbox.width / devicePixelRatio));
  const buckets = Math.min(n, width);
  if (buckets !== columns || !xs) {
    columns = buckets;
    xs = new Array(2 * buckets);
    ys = shown.map(() => new Array(2 * buckets));
  }
  const lanes = shown.length;
  let drawn = 0;
  for (let i = 0; i < shown.length; i++) {
    const c = shown[i];
    const v = ring.values[c];
    let mean = 0;
    if (state.removeDc) {
      for (let k = 0; k < n; k++) mean += v[ring.at(n, k)];
      mean /= n;
    }
    const scale = state.channelScale[c] ?? state.scale;
    const base = lanes - i - 0.5;
    const y = ys[i];
    for (let b = 0; b < buckets; b++) {
      const k0 = Math.floor((b * n) / buckets), k1 = Math.max(k0 + 1, Math.floor(((b + 1) * n) / buckets));
      let lo = Infinity, hi = -Infinity;
      for (let k = k0; k < k1; k++) { const s = v[ring.at(n, k)]; if (s < lo) lo = s; if (s > hi) hi = s; }
      y[2 * b] = clampLane(base + (lo - mean) / scale, base);
      y[2 * b + 1] = clampLane(base + (hi - mean) / scale, base);
    }
    drawn++;
  }
  const step = state.decimation;
  for (let b = 0; b < buckets; b++) {
    const k0 = Math.floor((b * n) / buckets), k1 = Math.max(k0 + 1, Math.floor(((b + 1) * n) / buckets));
    const i0 = ring.index[ring.at(n, k0)], i1 = ring.index[ring.at(n, k1 - 1)];
    xs[2 * b] = i0 / rate;
    xs[2 * b + 1] = (i0 + i1) / 2 / rate + 1e-9;
    // A bucket that spans lost samples is left blank (uPlot does not join across null).
    if (i1 - i0 > (k1 - 1 - k0) * step) for (const y of ys) { y[2 * b] = null; y[2 * b + 1] = null; }
  }
  const end = ring.lastIndex() / rate;
  scopePlot.batch(() => {
    scopePlot.setScale('x', { min: end - state.timebase, max: end });
    scopePlot.setData([xs, ...ys], false);
  });
  state.stats.draws++;
  // Cost of one redraw (bucketing + uPlot), for the browser test's report and the console.
  const ms = performance.now() - started;
  state.stats.drawMs = state.stats.drawMs == null ? ms : 0.9 * state.stats.drawMs + 0.1 * ms;
  state.stats.drawMsMax = Math.max(state.stats.drawMsMax ?? 0, ms);
  state.stats.drawnChannels = drawn;
  document.body.dataset.drawnChannels = String(drawn);
}

const clampLane = (y, base) => (y > base + 1.5 ? base + 1.5 : y < base - 1.5 ? base - 1.5 : y);

let psdBuffer = null;
function drawPsd() {
  const ring = state.ring;
  if (!psdPlot || !ring || shown.length === 0) return;
  const displayRate = state.stream.sampleRate / state.decimation;
  let segment = 1;
  while (segment < displayRate) segment *= 2; // a power of two, one second or a little more
  const n = Math.min(ring.count, 4 * segment);
  if (n < segment) { $('psd-note').textContent = '(collecting the first second)'; return; }
  $('psd-note').textContent = `· ${(n / displayRate).toFixed(1)} s of data, ${(displayRate / segment).toFixed(2)} Hz bins`;
  if (!psdBuffer || psdBuffer.length !== n) psdBuffer = new Float64Array(n);
  const series = shown.map((c) => {
    const p = welch(ring.copyLast(c, n, psdBuffer), segment, displayRate, 100);
    return Array.from(p, (x) => Math.max(x, 1e-6));
  });
  const freqs = Array.from({ length: series[0].length }, (_, k) => (k * displayRate) / segment);
  psdPlot.setData([freqs, ...series]);
}

// Drawing is paced by the browser (requestAnimationFrame), at most ~30 frames/s for the traces and
// 2/s for the spectrum, whatever the frame rate of the stream: data arrival only fills the ring.
let lastScope = 0, lastPsd = 0;
function animate(now) {
  if (!state.paused) {
    if (now - lastScope >= 33) { lastScope = now; drawScope(); }
    if (now - lastPsd >= 500) { lastPsd = now; drawPsd(); }
  }
  requestAnimationFrame(animate);
}

setupToolbar();
connect();
startRecordingPanel();
requestAnimationFrame(animate);
