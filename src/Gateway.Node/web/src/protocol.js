// Reader of the gateway's binary frames (docs/protocol.md): one message holds one or more frames,
// each a 32-byte little-endian header followed by float32 microvolts, sample-major.
export const MAGIC = 0x31474545; // "EEG1"
export const FLAG_GAP = 1;
export const FLAG_TRIGGERS = 2;

/** Calls onFrame(header, samples) for every frame of a binary message; samples is a Float32Array view (no copy when aligned). */
export function readFrames(buffer, onFrame) {
  const view = new DataView(buffer);
  let offset = 0;
  while (offset + 32 <= buffer.byteLength) {
    if (view.getUint32(offset, true) !== MAGIC) throw new Error(`bad magic at byte ${offset}`);
    const headerLength = view.getUint16(offset + 4, true);
    const channels = view.getUint16(offset + 6, true);
    const samples = view.getUint32(offset + 8, true);
    const flags = view.getUint32(offset + 12, true);
    const firstIndex = Number(view.getBigUint64(offset + 16, true));
    const timeNs = view.getBigInt64(offset + 24, true);
    const body = offset + headerLength;
    const count = channels * samples;
    // Frames start at multiples of 4 bytes, so the samples are a view, not a copy.
    const values = body % 4 === 0
      ? new Float32Array(buffer, body, count)
      : new Float32Array(buffer.slice(body, body + 4 * count));
    onFrame({ channels, samples, flags, firstIndex, timeNs }, values);
    offset = body + 4 * count;
  }
}
