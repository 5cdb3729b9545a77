// The recording panel: start/stop a recording with subject and session, add a marker, and show
// the current recording's state (a failed recording is shown in red with its reason). It uses the
// gateway's HTTP API (POST /recordings/start|stop|marker with the control token, GET /recordings;
// docs/protocol.md).

const $ = (id) => document.getElementById(id);

// Control calls (POST) need the gateway's control token (docs/api.md): asked once, kept in
// localStorage under "eeg.controlToken", asked again after a 401.
const TOKEN_KEY = 'eeg.controlToken';

function controlToken(askAgain) {
  let token = localStorage.getItem(TOKEN_KEY);
  if (!token || askAgain) {
    token = window.prompt('Control token (printed by the gateway at its first start, saved in ~/.config/eeg/control-token):', '');
    if (token) localStorage.setItem(TOKEN_KEY, token.trim());
    else localStorage.removeItem(TOKEN_KEY);
  }
  return token?.trim() || null;
}

async function send(method, path, body, token) {
  const headers = {};
  if (body) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
}

async function call(method, path, body) {
  const control = method !== 'GET';
  let response = await send(method, path, body, control ? controlToken(false) : null);
  if (control && response.status === 401) {
    const token = controlToken(true);
    if (token) response = await send(method, path, body, token);
  }
  let json = null;
  try { json = await response.json(); } catch { /* no body */ }
  if (!response.ok) throw new Error(json?.error ?? `${path}: HTTP ${response.status}`);
  return json;
}

function formatBytes(n) {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} kB`;
}

function show(recordings, error) {
  const state = $('rec-state');
  const info = $('rec-info');
  info.classList.toggle('bad', false);
  if (error) {
    info.textContent = error;
    info.classList.toggle('bad', true);
  }
  const last = recordings?.length ? recordings[recordings.length - 1] : null;
  if (!last) {
    state.textContent = 'idle';
    state.className = 'rec-state idle';
    if (!error) info.textContent = 'no recording in this run';
    return;
  }
  const s = last.state;
  state.textContent = s === 'recording' ? 'REC' : s;
  state.className = `rec-state ${s === 'recording' ? 'recording' : s === 'failed' ? 'failed' : 'idle'}`;
  if (error) return;
  const files = last.files.map((f) => f.split('/').pop()).join(', ');
  let text = `${files} · ${last.durationSeconds.toFixed(1)} s · ${formatBytes(last.sizeBytes)}`;
  if (last.gapSamples > 0) text += ` · ${last.gapSamples} samples lost upstream (annotated)`;
  if (s === 'failed') {
    text = `FAILED: ${last.failureReason} · ${text}`;
    info.classList.toggle('bad', true);
  }
  info.textContent = text;
}

async function refresh() {
  try {
    const list = await call('GET', 'recordings');
    const available = list.recorder !== false;
    for (const id of ['rec-start', 'rec-stop', 'rec-mark']) $(id).disabled = !available;
    if (!available) {
      show(null, list.reason);
      $('rec-info').classList.toggle('bad', false);
      return;
    }
    show(list.recordings);
  } catch (e) {
    show(null, e.message);
  }
}

export function startRecordingPanel() {
  $('rec-start').onclick = async () => {
    try {
      await call('POST', 'recordings/start', { subject: $('rec-subject').value || null, session: $('rec-session').value || null });
      await refresh();
    } catch (e) { show(null, e.message); }
  };
  $('rec-stop').onclick = async () => {
    try { await call('POST', 'recordings/stop'); await refresh(); } catch (e) { show(null, e.message); }
  };
  $('rec-mark').onclick = async () => {
    const text = $('rec-marker').value.trim();
    if (!text) return;
    try { await call('POST', 'recordings/marker', { text }); $('rec-marker').value = ''; await refresh(); } catch (e) { show(null, e.message); }
  };
  refresh();
  setInterval(refresh, 1000);
}
