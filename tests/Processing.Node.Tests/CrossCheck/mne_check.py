#!/usr/bin/python3
"""Reads a BDF with MNE-Python (mne.io.read_raw_bdf) and compares it with what the recorder wrote.

usage: mne_check.py <file.bdf> <expected.json>

expected.json (written by the C# test):
  ch_names, sfreq, uv_per_count, record_samples, record_first (first sample index of each record),
  filler ([[start, length], ...] sample runs that hold no real sample), annotations
  ([[onset_s, duration_s, text], ...], onsets relative to the first sample as MNE reports them).
Real samples are checked against the simulator's pattern: channel c at sample i is
((i + 1000 c) mod 2^24) - 2^23 counts, in volts count * uv_per_count * 1e-6, within 1.5 counts (the EDF
linear map's step differs from the ADC's by 1 part in 2^24; see BdfWriter). Prints one line per
check; exit 0 when all pass, 1 otherwise.
"""
import json
import sys

import numpy as np
import mne


def main():
    path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path) as f:
        exp = json.load(f)
    raw = mne.io.read_raw_bdf(path, preload=True, verbose="error")
    failures = []

    if raw.ch_names != exp["ch_names"]:
        failures.append(f"channel names {raw.ch_names} != {exp['ch_names']}")
    print(f"channels: {len(raw.ch_names)} ({', '.join(raw.ch_names[:4])}, ...)")
    if abs(raw.info["sfreq"] - exp["sfreq"]) > 1e-9:
        failures.append(f"sfreq {raw.info['sfreq']} != {exp['sfreq']}")
    print(f"sfreq: {raw.info['sfreq']}")

    data = raw.get_data()  # volts, shape (channels, records * record_samples)
    n = exp["record_samples"]
    firsts = np.asarray(exp["record_first"], dtype=np.int64)
    if data.shape[1] != len(firsts) * n:
        failures.append(f"{data.shape[1]} samples per channel, expected {len(firsts) * n}")
    else:
        index = (firsts[:, None] + np.arange(n)[None, :]).ravel()
        real = np.ones(index.shape, dtype=bool)
        for start, length in exp["filler"]:
            real &= ~((index >= start) & (index < start + length))
        step_v = exp["uv_per_count"] * 1e-6
        worst = 0.0
        for c in range(data.shape[0]):
            counts = ((index + 1000 * c) % (1 << 24)) - (1 << 23)
            diff = np.abs(data[c, real] - counts[real] * step_v)
            worst = max(worst, float(diff.max()) if diff.size else 0.0)
        print(f"values: {int(real.sum())} real samples x {data.shape[0]} channels, worst difference {worst / step_v:.3f} counts")
        if worst > 1.5 * step_v:
            failures.append(f"a value differs from the pattern by {worst / step_v:.3f} counts")

    onsets = raw.annotations.onset
    durations = raw.annotations.duration
    texts = list(raw.annotations.description)
    print(f"annotations: {len(texts)}")
    for onset, duration, text in exp["annotations"]:
        found = any(t == text and abs(o - onset) < 1e-6 and abs(d - duration) < 1e-6
                    for o, d, t in zip(onsets, durations, texts))
        print(f"  {'ok' if found else 'MISSING'} +{onset} ({duration} s) {text}")
        if not found:
            failures.append(f"annotation '{text}' at {onset} s ({duration} s) not found in {list(zip(onsets, durations, texts))}")

    for f in failures:
        print("FAIL: " + f)
    print("mne_check: " + ("OK" if not failures else f"{len(failures)} failures"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
