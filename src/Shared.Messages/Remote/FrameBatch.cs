using Eeg.Shared.Frames;

namespace Eeg.Shared.Remote;

/// <summary>
/// Frames that cross a node boundary together: the acquisition node copies each frame once into the
/// batch being built and sends the batch every ~10 ms or when it is full; the consumer node unpacks it
/// into slabs of its own pool. Samples are packed sample-major, microvolts and raw counts apart, the
/// same layout as a slab, so packing and unpacking are block copies.
/// </summary>
/// <remarks>
/// A batch is allocated per send (about 100 per second), not per frame: the architecture allows the
/// copy into the wire format to allocate, and a batch that is retained for a lossless consumer must
/// own its memory anyway. The arrays are sized for the batch's capacity; the serializer writes only
/// the valid part.
/// </remarks>
public sealed class FrameBatch : IRemoteSinkMessage
{
    public FrameBatch(int channels, int maxFrames, int maxSamples, int maxTriggers)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels));
        if (maxFrames < 1) throw new ArgumentOutOfRangeException(nameof(maxFrames));
        if (maxSamples < 1) throw new ArgumentOutOfRangeException(nameof(maxSamples));
        if (maxTriggers < 0) throw new ArgumentOutOfRangeException(nameof(maxTriggers));
        Channels = channels;
        Frames = new FrameRecord[maxFrames];
        Microvolts = new float[channels * maxSamples];
        Counts = new int[channels * maxSamples];
        Triggers = new TriggerEvent[maxTriggers];
    }

    /// <summary>Position of this batch in its sender's stream, from 1; acknowledgements and credit count in it.</summary>
    public long Sequence { get; set; }

    /// <summary>Identifies one run of the sender's stream: a consumer that sees it change starts over.</summary>
    public long StreamId { get; set; }

    /// <summary>Channels per sample.</summary>
    public int Channels { get; }

    /// <summary>The frames; the first <see cref="FrameCount"/> are valid.</summary>
    public FrameRecord[] Frames { get; }

    /// <summary>Valid frames.</summary>
    public int FrameCount { get; private set; }

    /// <summary>Valid samples over all frames.</summary>
    public int SampleCount { get; private set; }

    /// <summary>Valid trigger events over all frames.</summary>
    public int TriggerCount { get; private set; }

    /// <summary>Microvolts, sample-major, all frames one after the other.</summary>
    public float[] Microvolts { get; }

    /// <summary>Raw counts, same layout as <see cref="Microvolts"/>.</summary>
    public int[] Counts { get; }

    /// <summary>Trigger events of all frames.</summary>
    public TriggerEvent[] Triggers { get; }

    /// <summary>Samples the batch can still take.</summary>
    public int FreeSamples => Counts.Length / Channels - SampleCount;

    /// <summary>True when no further frame fits (frames or samples).</summary>
    public bool IsFull => FrameCount == Frames.Length || FreeSamples == 0;

    /// <summary>Index of the sample that follows the last frame (or -1 when empty).</summary>
    public long NextSampleIndex => FrameCount == 0 ? -1 : Frames[FrameCount - 1].FirstSampleIndex + Frames[FrameCount - 1].SampleCount;

    /// <summary>
    /// Copies one frame in (the one copy between a slab and the wire). False, and nothing copied, when
    /// its samples or its triggers do not fit: the caller sends this batch and starts the next one.
    /// </summary>
    public bool TryAppend(in FrameRecord header, ReadOnlySpan<float> microvolts, ReadOnlySpan<int> counts, ReadOnlySpan<TriggerEvent> triggers)
    {
        int samples = header.SampleCount;
        if (samples < 1 || FrameCount == Frames.Length || samples > FreeSamples || triggers.Length > Triggers.Length - TriggerCount) return false;
        int values = samples * Channels;
        if (microvolts.Length < values || counts.Length < values)
        {
            throw new ArgumentException("The frame's sample arrays are shorter than sample count x channels.");
        }
        int valueOffset = SampleCount * Channels;
        microvolts[..values].CopyTo(Microvolts.AsSpan(valueOffset));
        counts[..values].CopyTo(Counts.AsSpan(valueOffset));
        int keptTriggers = triggers.Length;
        triggers.CopyTo(Triggers.AsSpan(TriggerCount));

        ref FrameRecord record = ref Frames[FrameCount];
        record = header;
        record.SampleOffset = SampleCount;
        record.TriggerOffset = TriggerCount;
        record.TriggerCount = keptTriggers;
        FrameCount++;
        SampleCount += samples;
        TriggerCount += keptTriggers;
        return true;
    }

    /// <summary>Microvolts of one frame.</summary>
    public ReadOnlySpan<float> MicrovoltsOf(int frame) =>
        Microvolts.AsSpan(Frames[frame].SampleOffset * Channels, Frames[frame].SampleCount * Channels);

    /// <summary>Counts of one frame.</summary>
    public ReadOnlySpan<int> CountsOf(int frame) =>
        Counts.AsSpan(Frames[frame].SampleOffset * Channels, Frames[frame].SampleCount * Channels);

    /// <summary>Triggers of one frame.</summary>
    public ReadOnlySpan<TriggerEvent> TriggersOf(int frame) =>
        Triggers.AsSpan(Frames[frame].TriggerOffset, Frames[frame].TriggerCount);

    /// <summary>Sets the counts when the serializer fills a batch it read (the arrays are already written).</summary>
    internal void SetCounts(int frames, int samples, int triggers)
    {
        FrameCount = frames;
        SampleCount = samples;
        TriggerCount = triggers;
    }
}
