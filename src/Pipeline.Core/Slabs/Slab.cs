using Eeg.Shared.Frames;

namespace Eeg.Pipeline.Slabs;

/// <summary>
/// The memory of one frame, allocated once at start-up and recycled through a <see cref="SlabPool"/>.
/// The reader writes raw counts into it, the DSP stage fills the microvolts in place, and every
/// local sink reads the same instance: no sample is copied between reader, DSP and local sinks.
/// </summary>
/// <remarks>
/// Layout is sample-major (s0c0, s0c1, ..., s1c0, ...): that is the order the ADS1299 delivers
/// (one DRDY = all channels of one sample), the order of the WebSocket wire format (so the scope
/// encoder is one block copy) and of a CSV row. A stage that wants one channel reads a strided
/// view; see FrameView in Shared.Messages. Arrays rather than one byte block keep every access
/// bounds-checked and let SIMD be added later over the same contiguous spans.
///
/// Lifetime: the fan-out sets the reference count to the number of sinks it hands the slab to;
/// each sink calls <see cref="Release"/> once when done, and the last one returns it to the pool.
///
/// Memory ordering (arm64): the header properties and arrays are plain fields with no barrier of their
/// own. They need none because a slab only changes threads through a release/acquire pair: the ring's
/// publish (cursor release store, consumer acquire load), a sink's policy queue and the pool's free
/// queue (the cell sequence's release store and acquire load), an Akka mailbox (interlocked
/// operations). A new hand-over path must bring such a pair, or a reader on the Pi can see a stale
/// header or samples from the slab's previous frame.
/// </remarks>
public sealed class Slab
{
    /// <summary>Most trigger events one frame can carry; more in one frame are counted and dropped.</summary>
    public const int MaxTriggers = 16;

    private readonly SlabPool? _owner;
    private int _references;

    public Slab(int channels, int maxSamples, SlabPool? owner = null)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels));
        if (maxSamples < 1) throw new ArgumentOutOfRangeException(nameof(maxSamples));
        Channels = channels;
        MaxSamples = maxSamples;
        Counts = new int[channels * maxSamples];
        Microvolts = new float[channels * maxSamples];
        DrdyTicks = new long[maxSamples];
        Triggers = new TriggerEvent[MaxTriggers];
        _owner = owner;
    }

    /// <summary>Channels per sample.</summary>
    public int Channels { get; }

    /// <summary>Capacity in samples.</summary>
    public int MaxSamples { get; }

    /// <summary>Raw 24-bit ADC counts, sign-extended, sample-major. Recorders store these exactly.</summary>
    public int[] Counts { get; }

    /// <summary>Filtered microvolts, sample-major; written in place by the DSP stage.</summary>
    public float[] Microvolts { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of each sample's DRDY edge (or simulated deadline).</summary>
    public long[] DrdyTicks { get; }

    /// <summary>Trigger events of this frame; the first <see cref="TriggerCount"/> are valid.</summary>
    public TriggerEvent[] Triggers { get; }

    /// <summary>Index (since stream start) of the frame's first sample.</summary>
    public long FirstSampleIndex { get; set; }

    /// <summary>Valid samples in this frame (1..MaxSamples).</summary>
    public int SampleCount { get; set; }

    /// <summary>Flags: gap before this frame, triggers, corrupt samples, lead-off.</summary>
    public FrameFlags Flags { get; set; }

    /// <summary>Samples lost right before this frame (0 unless <see cref="FrameFlags.Gap"/>).</summary>
    public long GapSamples { get; set; }

    /// <summary>Unix time of the first sample, nanoseconds.</summary>
    public long FirstSampleUnixNs { get; set; }

    /// <summary>Lead-off bits, positive inputs, one bit per channel (OR over the frame's samples).</summary>
    public uint LeadOffPositive { get; set; }

    /// <summary>Lead-off bits, negative inputs, one bit per channel (OR over the frame's samples).</summary>
    public uint LeadOffNegative { get; set; }

    /// <summary>Number of valid entries in <see cref="Triggers"/>.</summary>
    public int TriggerCount { get; set; }

    /// <summary>Stopwatch timestamp of the last sample's DRDY: the frame cannot leave before it, so latency is measured from it.</summary>
    public long LastDrdyTicks => DrdyTicks[SampleCount - 1];

    /// <summary>The valid counts.</summary>
    public Span<int> CountSpan => Counts.AsSpan(0, SampleCount * Channels);

    /// <summary>The valid microvolts.</summary>
    public Span<float> MicrovoltSpan => Microvolts.AsSpan(0, SampleCount * Channels);

    /// <summary>Current reference count (for tests and diagnostics).</summary>
    public int References => Volatile.Read(ref _references);

    /// <summary>Clears the per-frame fields before the reader fills the slab again.</summary>
    public void ResetHeader()
    {
        FirstSampleIndex = 0;
        SampleCount = 0;
        Flags = FrameFlags.None;
        GapSamples = 0;
        FirstSampleUnixNs = 0;
        LeadOffPositive = 0;
        LeadOffNegative = 0;
        TriggerCount = 0;
    }

    /// <summary>Adds a trigger if there is room; false when the frame already holds <see cref="MaxTriggers"/>.</summary>
    public bool TryAddTrigger(in TriggerEvent trigger)
    {
        if (TriggerCount >= MaxTriggers) return false;
        Triggers[TriggerCount++] = trigger;
        Flags |= FrameFlags.Triggers;
        return true;
    }

    /// <summary>Sets the reference count before the slab is handed to <paramref name="holders"/> holders.</summary>
    public void SetReferences(int holders)
    {
        if (holders < 1) throw new ArgumentOutOfRangeException(nameof(holders));
        // Release semantics: the frame's contents written by the DSP thread must be visible to any
        // sink thread that later observes this count (it reaches them through a queue whose own
        // release/acquire pair orders it too; this write keeps the count itself ordered on ARM).
        Volatile.Write(ref _references, holders);
    }

    /// <summary>Adds holders to a slab that is already shared (a sink that forwards it locally).</summary>
    public void AddReferences(int holders)
    {
        if (holders < 1) throw new ArgumentOutOfRangeException(nameof(holders));
        // A slab whose count had reached zero is already back in the pool (or rented again for another
        // frame): holding it again would let the reader refill it under the new holder.
        if (Interlocked.Add(ref _references, holders) - holders <= 0)
        {
            throw new InvalidOperationException("References added to a slab that was already released: the caller no longer held the frame.");
        }
    }

    /// <summary>
    /// Lets go of one reference. The last holder returns the slab to its pool. Interlocked is a full
    /// barrier on every platform: all reads of the frame by this holder happen before the count
    /// drops, so the reader can never refill a slab that a sink is still reading (ARM included).
    /// </summary>
    public void Release()
    {
        int remaining = Interlocked.Decrement(ref _references);
        if (remaining == 0)
        {
            _owner?.Return(this);
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("Slab released more times than it was shared: a sink released a frame it did not hold.");
        }
    }
}
