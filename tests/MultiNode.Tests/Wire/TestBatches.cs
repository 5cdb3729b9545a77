using Eeg.Shared.Frames;
using Eeg.Shared.Remote;

namespace Eeg.Tests.MultiNode.Wire;

/// <summary>Batches with every field set to a value that depends on its position, so a swapped or shifted field shows.</summary>
internal static class TestBatches
{
    public static FrameBatch Make(int channels, int frames, int samplesPerFrame, long firstIndex = 1000, long sequence = 7)
    {
        var batch = new FrameBatch(channels, frames, frames * samplesPerFrame, frames * 2) { Sequence = sequence, StreamId = 0x1234_5678_9ABC };
        var uv = new float[samplesPerFrame * channels];
        var counts = new int[samplesPerFrame * channels];
        for (int f = 0; f < frames; f++)
        {
            long first = firstIndex + (long)f * samplesPerFrame;
            for (int v = 0; v < uv.Length; v++)
            {
                uv[v] = (float)(first * 0.25 + v * 1.5 - 100);
                counts[v] = (int)((first * 31 + v * 7) % (1 << 23)) * (v % 2 == 0 ? 1 : -1);
            }
            var triggers = f % 2 == 0
                ? new[] { new TriggerEvent(first, f + 1, TriggerSource.HostPin), new TriggerEvent(first + 1, -f, TriggerSource.Marker) }
                : Array.Empty<TriggerEvent>();
            var record = new FrameRecord
            {
                FirstSampleIndex = first,
                SampleCount = samplesPerFrame,
                Flags = (f == 1 ? FrameFlags.Gap : FrameFlags.None) | (triggers.Length > 0 ? FrameFlags.Triggers : FrameFlags.None),
                GapSamples = f == 1 ? 17 : 0,
                FirstSampleUnixNs = 1_700_000_000_000_000_000 + first * 250_000,
                FirstDrdyTicks = 5_000 + first,
                LastDrdyTicks = 5_000 + first + samplesPerFrame - 1,
                LeadOffPositive = (uint)f,
                LeadOffNegative = 0x8000_0000u | (uint)f,
            };
            if (!batch.TryAppend(record, uv, counts, triggers)) throw new InvalidOperationException("test batch too small");
        }
        return batch;
    }
}
