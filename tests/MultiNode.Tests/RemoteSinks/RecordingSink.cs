using System.Collections.Concurrent;
using Akka.Actor;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Tests.MultiNode.RemoteSinks;

/// <summary>What a local sink on the consumer node saw of one frame.</summary>
internal readonly record struct SeenFrame(long FirstSampleIndex, int SampleCount, FrameFlags Flags, long GapSamples, bool SamplesIntact);

/// <summary>
/// A local sink on the consumer node, unchanged from what the acquisition node would run: it notes
/// each frame, checks every count against the pattern, and can be held (a stalled disk, a busy stage).
/// </summary>
internal sealed class RecordingSink : FrameSinkActor
{
    private readonly ConcurrentQueue<SeenFrame> _seen;
    private readonly ManualResetEventSlim _gate;

    public RecordingSink(SinkCounters counters, ConcurrentQueue<SeenFrame> seen, ManualResetEventSlim gate) : base(counters)
    {
        _seen = seen;
        _gate = gate;
    }

    public static Props Props(SinkCounters counters, ConcurrentQueue<SeenFrame> seen, ManualResetEventSlim gate) =>
        Akka.Actor.Props.Create(() => new RecordingSink(counters, seen, gate));

    protected override void OnFrame(Slab slab)
    {
        // Held on purpose: this is the consumer stalling, the thing under test.
        _gate.Wait(TimeSpan.FromSeconds(60));
        bool intact = true;
        for (int s = 0; s < slab.SampleCount; s++)
        {
            for (int c = 0; c < slab.Channels; c++)
            {
                intact &= slab.Counts[s * slab.Channels + c] == TestPattern.Count(slab.FirstSampleIndex + s, c)
                    && slab.Microvolts[s * slab.Channels + c] == TestPattern.Microvolts(slab.FirstSampleIndex + s, c);
            }
        }
        _seen.Enqueue(new SeenFrame(slab.FirstSampleIndex, slab.SampleCount, slab.Flags, slab.GapSamples, intact));
    }
}

/// <summary>Values that depend on sample index and channel, so a shifted or stale copy shows.</summary>
internal static class TestPattern
{
    public static int Count(long index, int channel) => (int)((index * 7919 + channel * 104729) % (1 << 23));
    public static float Microvolts(long index, int channel) => (float)(index % 100_000) * 0.5f + channel;
}
