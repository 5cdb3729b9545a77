// In-place radix-2 FFT and a Welch power spectral density, enough for a 0-100 Hz display.
const tables = new Map();

function table(n) {
  let t = tables.get(n);
  if (!t) {
    const cos = new Float64Array(n / 2), sin = new Float64Array(n / 2);
    for (let i = 0; i < n / 2; i++) { cos[i] = Math.cos(-2 * Math.PI * i / n); sin[i] = Math.sin(-2 * Math.PI * i / n); }
    const rev = new Uint32Array(n);
    const bits = Math.log2(n);
    for (let i = 0; i < n; i++) { let r = 0; for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b); rev[i] = r; }
    const hann = new Float64Array(n);
    let power = 0;
    for (let i = 0; i < n; i++) { hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n); power += hann[i] * hann[i]; }
    t = { cos, sin, rev, hann, power };
    tables.set(n, t);
  }
  return t;
}

function fft(re, im, t) {
  const n = re.length;
  for (let i = 0; i < n; i++) {
    const j = t.rev[i];
    if (j > i) { let x = re[i]; re[i] = re[j]; re[j] = x; x = im[i]; im[i] = im[j]; im[j] = x; }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2, step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const c = t.cos[k * step], s = t.sin[k * step];
        const a = start + k, b = a + half;
        const xr = re[b] * c - im[b] * s, xi = re[b] * s + im[b] * c;
        re[b] = re[a] - xr; im[b] = im[a] - xi; re[a] += xr; im[a] += xi;
      }
    }
  }
}

/**
 * Welch PSD (Hann window, 50 % overlap, one-sided, uV^2/Hz) of signal (Float64Array, length >= n),
 * segments of n samples (a power of two) at rate Hz, bins up to maxHz. Returns Float64Array.
 */
export function welch(signal, n, rate, maxHz, out) {
  const t = table(n);
  const bins = Math.min(n / 2, Math.floor(maxHz * n / rate)) + 1;
  const psd = out && out.length === bins ? out.fill(0) : new Float64Array(bins);
  const re = new Float64Array(n), im = new Float64Array(n);
  let segments = 0;
  for (let start = signal.length - n; start >= 0 && segments < 16; start -= n / 2) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += signal[start + i];
    mean /= n;
    for (let i = 0; i < n; i++) { re[i] = (signal[start + i] - mean) * t.hann[i]; im[i] = 0; }
    fft(re, im, t);
    for (let k = 0; k < bins; k++) psd[k] += re[k] * re[k] + im[k] * im[k];
    segments++;
  }
  const scale = 1 / (rate * t.power * Math.max(1, segments));
  for (let k = 0; k < bins; k++) psd[k] *= (k === 0 || k === n / 2) ? scale : 2 * scale;
  return psd;
}
