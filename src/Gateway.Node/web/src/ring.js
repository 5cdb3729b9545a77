// The samples on display: the last `seconds` of every channel at the display rate, in one ring
// per channel plus a ring of sample indices (shared by all channels) so gaps are seen exactly.
export class SampleRing {
  constructor(channels, capacity) {
    this.channels = channels;
    this.capacity = capacity;
    this.values = Array.from({ length: channels }, () => new Float32Array(capacity));
    this.index = new Float64Array(capacity);
    this.written = 0; // samples written since the start (position of the next one = written % capacity)
  }

  get count() { return Math.min(this.written, this.capacity); }

  /** Appends a frame: samples (sample-major, frameChannels wide) with indices first, first+step, ... */
  push(values, frameChannels, samples, firstIndex, step, channelMap) {
    for (let s = 0; s < samples; s++) {
      const at = this.written % this.capacity;
      this.index[at] = firstIndex + s * step;
      const row = s * frameChannels;
      for (let i = 0; i < channelMap.length; i++) this.values[channelMap[i]][at] = values[row + i];
      this.written++;
    }
  }

  /** Ring position of the k-th of the last n samples (k = 0 is the oldest of them). */
  at(n, k) { return (this.written - n + k) % this.capacity; }

  /** Copies the last n samples of a channel into out (Float64Array of length n). */
  copyLast(channel, n, out) {
    const v = this.values[channel];
    for (let k = 0; k < n; k++) out[k] = v[this.at(n, k)];
    return out;
  }

  lastIndex() { return this.written === 0 ? 0 : this.index[(this.written - 1) % this.capacity]; }
}
