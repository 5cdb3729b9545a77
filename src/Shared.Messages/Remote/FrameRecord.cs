using Eeg.Shared.Frames;

namespace Eeg.Shared.Remote;

/// <summary>
/// The header of one frame inside a <see cref="FrameBatch"/>: the slab's header fields, plus where
/// its samples and triggers start in the batch's packed arrays.
/// </summary>
public struct FrameRecord
{
    /// <summary>Index (since stream start) of the frame's first sample.</summary>
    public long FirstSampleIndex;
    /// <summary>Samples in this frame.</summary>
    public int SampleCount;
    /// <summary>Gap, trigger, corrupt and lead-off flags.</summary>
    public FrameFlags Flags;
    /// <summary>Samples lost right before this frame.</summary>
    public long GapSamples;
    /// <summary>Unix time of the first sample, nanoseconds.</summary>
    public long FirstSampleUnixNs;
    /// <summary>Stopwatch ticks of the first and last sample's DRDY on the acquisition node (latency on one host only).</summary>
    public long FirstDrdyTicks;
    /// <summary>See <see cref="FirstDrdyTicks"/>.</summary>
    public long LastDrdyTicks;
    /// <summary>Lead-off bits, positive inputs.</summary>
    public uint LeadOffPositive;
    /// <summary>Lead-off bits, negative inputs.</summary>
    public uint LeadOffNegative;
    /// <summary>Offset of the first sample in the batch (in samples, not values).</summary>
    public int SampleOffset;
    /// <summary>Offset of the first trigger in the batch's trigger array.</summary>
    public int TriggerOffset;
    /// <summary>Triggers of this frame.</summary>
    public int TriggerCount;
}
