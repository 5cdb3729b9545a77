#!/usr/bin/python3
"""Reference vectors for the DSP stage (tests/Acquisition.Node.Tests/Dsp).

Run with Debian's python3-scipy, from this folder:

    /usr/bin/python3 make_vectors.py

Writes
  sos_sets.json        scipy.signal.butter(..., output='sos') and scipy.signal.iirnotch for
                       several parameter sets (odd orders included: they exercise zpk2sos's
                       pairing special cases).
  cascade_fs4000.json  input microvolts and scipy.signal.sosfilt output of the full default
  cascade_fs250.json   cascade (HP, notch + harmonics, LP), causal, from zero state, and
                       scipy.signal.sosfilt_zi of that cascade (unit-step steady state).

Inputs are multiples of 1/64 uV below 2^17 uV, so they are exact in float32 and float64 and
the C# chain (float samples, double state) sees exactly what sosfilt saw.
"""
import json
import sys

import numpy as np
import scipy
from scipy import signal

RATES = [250, 500, 1000, 2000, 4000, 8000, 16000]


def butter(order, cutoff, btype, fs):
    return signal.butter(order, cutoff, btype=btype, fs=fs, output='sos')


def notch_sections(f0, q, harmonics, fs):
    """One iirnotch section per harmonic k*f0 (k = 1..harmonics) below Nyquist."""
    rows = []
    for k in range(1, harmonics + 1):
        f = k * f0
        if f >= fs / 2:
            continue
        b, a = signal.iirnotch(f, q, fs=fs)
        rows.append(np.concatenate([b, a]))
    return np.array(rows).reshape(-1, 6)


def sos_rows(sos):
    return [[float(v) for v in row] for row in sos]


def sos_sets():
    sets = []
    for fs in RATES:
        sets.append(dict(kind='highpass', order=2, cutoff_hz=0.5, fs=fs, sos=sos_rows(butter(2, 0.5, 'highpass', fs))))
        if 100 < fs / 2:
            sets.append(dict(kind='lowpass', order=4, cutoff_hz=100.0, fs=fs, sos=sos_rows(butter(4, 100, 'lowpass', fs))))
        for f0 in (50.0, 60.0):
            sets.append(dict(kind='notch', frequency_hz=f0, q=30.0, harmonics=3, fs=fs,
                             sos=sos_rows(notch_sections(f0, 30.0, 3, fs))))
    # Odd and high orders: real poles, the extra pole/zero at the origin, section ordering.
    for order in (1, 3, 5, 8):
        sets.append(dict(kind='lowpass', order=order, cutoff_hz=40.0, fs=1000, sos=sos_rows(butter(order, 40, 'lowpass', 1000))))
        sets.append(dict(kind='highpass', order=order, cutoff_hz=1.0, fs=4000, sos=sos_rows(butter(order, 1.0, 'highpass', 4000))))
    sets.append(dict(kind='lowpass', order=6, cutoff_hz=7000.0, fs=16000, sos=sos_rows(butter(6, 7000, 'lowpass', 16000))))
    sets.append(dict(kind='notch', frequency_hz=60.0, q=5.0, harmonics=1, fs=500, sos=sos_rows(notch_sections(60.0, 5.0, 1, 500))))
    return sets


def cascade(fs, channels, seconds, seed):
    settings = dict(highpass_hz=0.5, highpass_order=2, notch_hz=50.0, notch_q=30.0, notch_harmonics=3,
                    lowpass_hz=100.0, lowpass_order=4)
    sos = np.vstack([
        butter(settings['highpass_order'], settings['highpass_hz'], 'highpass', fs),
        notch_sections(settings['notch_hz'], settings['notch_q'], settings['notch_harmonics'], fs),
        butter(settings['lowpass_order'], settings['lowpass_hz'], 'lowpass', fs),
    ])
    rng = np.random.default_rng(seed)
    n = int(fs * seconds)
    t = np.arange(n) / fs
    x = np.empty((channels, n))
    for c in range(channels):
        offset = [100000.0, -20000.0, 3000.0][c % 3]  # electrode offsets up to 100 mV
        x[c] = (offset
                + 40 * np.sin(2 * np.pi * (9.5 + c) * t)          # alpha
                + 25 * np.sin(2 * np.pi * 50 * t + c)             # mains
                + 6 * np.sin(2 * np.pi * 150 * t)                 # third harmonic
                + 300 * t                                         # drift
                + 5 * rng.standard_normal(n))
    x = np.round(x * 64) / 64
    assert np.all(x.astype(np.float32).astype(np.float64) == x)
    y = signal.sosfilt(sos, x, axis=-1)
    # Steady state of each section for a unit step (what a runtime filter change primes with).
    zi = signal.sosfilt_zi(sos)
    return dict(fs=fs, channels=channels, samples=n, settings=settings, sos=sos_rows(sos), zi=sos_rows(zi),
                input=[[float(v) for v in row] for row in x],
                output=[[float('%.12g' % v) for v in row] for row in y])


def main():
    meta = dict(generator='make_vectors.py', scipy=scipy.__version__, numpy=np.__version__,
                python=sys.version.split()[0])
    with open('sos_sets.json', 'w') as f:
        json.dump(dict(meta=meta, sets=sos_sets()), f, separators=(',', ':'))
    for fs, channels, seconds, seed in ((4000, 2, 0.6, 1), (250, 3, 3.0, 2)):
        data = cascade(fs, channels, seconds, seed)
        data['meta'] = meta
        with open(f'cascade_fs{fs}.json', 'w') as f:
            json.dump(data, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
