using Eeg.Shared.Frames;

namespace Eeg.Shared.Stages;

/// <summary>
/// A read-only view of one frame of EEG, handed to <see cref="IStage.Process"/>. It points straight
/// into the buffer the amplifier's samples were read and filtered in: nothing is copied to give it
/// to you, and nothing is allocated.
/// </summary>
/// <remarks>
/// <para><b>Valid only during the call.</b> The buffer behind the view goes back to a pool as soon as
/// <see cref="IStage.Process"/> returns and is refilled with later samples. That is why this is a
/// <c>ref struct</c>: the compiler refuses to let you store it (or its spans) in a field, capture it in
/// a lambda or keep it across an <c>await</c>. To keep data longer, copy what you need into arrays
/// you allocated once, in your constructor or in <see cref="IStage.OnStart"/> (for example a ring of
/// the last second per channel), e.g. with <see cref="CopyChannel"/> or
/// <c>frame.Microvolts.CopyTo(myArray)</c>.</para>
/// <para><b>Layout.</b> Samples are interleaved, sample-major, exactly as the amplifier delivers them
/// and as the pipeline's buffer holds them: value of channel <c>c</c> at sample <c>s</c> is
/// <c>Microvolts[s * ChannelCount + c]</c>. Giving you per-channel spans instead would need a copy
/// (a transpose) of every frame for every stage; <see cref="CopyChannel"/> does that transpose for
/// one channel into your own buffer when an algorithm wants contiguous channel data.</para>
/// <para><b>Why a view and not an object:</b> a class per frame at 4000 frames/s is 4000 allocations
/// per second per stage; the garbage collector's pauses are what the pipeline is built to avoid.</para>
/// </remarks>
public readonly ref struct FrameView
{
    private readonly ReadOnlySpan<float> _microvolts;
    private readonly ReadOnlySpan<TriggerEvent> _triggers;

    /// <summary>
    /// Builds a view over buffers owned by someone else (the host builds it from its frame buffer;
    /// tests build it from arrays).
    /// </summary>
    /// <param name="microvolts">Sample-major values, <c>sampleCount * channelCount</c> long.</param>
    /// <param name="channelCount">Channels per sample (at least 1).</param>
    /// <param name="firstSampleIndex">Index (since the stream started) of the first sample.</param>
    /// <param name="firstSampleUnixNs">Unix time of the first sample, nanoseconds.</param>
    /// <param name="sampleRate">Samples per second per channel.</param>
    /// <param name="flags">The frame's flags.</param>
    /// <param name="gapSamples">Samples lost right before this frame (0 without a gap).</param>
    /// <param name="triggers">Trigger events that fall in this frame.</param>
    public FrameView(
        ReadOnlySpan<float> microvolts,
        int channelCount,
        long firstSampleIndex,
        long firstSampleUnixNs,
        int sampleRate,
        FrameFlags flags,
        long gapSamples,
        ReadOnlySpan<TriggerEvent> triggers)
    {
        if (channelCount < 1) throw new ArgumentOutOfRangeException(nameof(channelCount), channelCount, "at least one channel");
        if (microvolts.Length % channelCount != 0)
        {
            throw new ArgumentException($"{microvolts.Length} values are not a whole number of samples of {channelCount} channels.", nameof(microvolts));
        }
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "at least 1 sample per second");
        _microvolts = microvolts;
        _triggers = triggers;
        ChannelCount = channelCount;
        SampleCount = microvolts.Length / channelCount;
        FirstSampleIndex = firstSampleIndex;
        FirstSampleUnixNs = firstSampleUnixNs;
        SampleRate = sampleRate;
        Flags = flags;
        GapSamples = gapSamples;
    }

    /// <summary>Index (count since the stream started) of this frame's first sample. 64-bit: it never wraps.</summary>
    public long FirstSampleIndex { get; }

    /// <summary>Index of this frame's last sample.</summary>
    public long LastSampleIndex => FirstSampleIndex + SampleCount - 1;

    /// <summary>Samples in this frame (often 1: the pipeline favours latency).</summary>
    public int SampleCount { get; }

    /// <summary>Channels per sample, in the order of <see cref="StreamDescription.ChannelNames"/>.</summary>
    public int ChannelCount { get; }

    /// <summary>Samples per second per channel.</summary>
    public int SampleRate { get; }

    /// <summary>Unix time of the first sample in nanoseconds; sample <c>s</c> is at <see cref="SampleUnixNs"/>.</summary>
    public long FirstSampleUnixNs { get; }

    /// <summary>Flags: a gap before this frame, triggers, corrupt samples, lead-off.</summary>
    public FrameFlags Flags { get; }

    /// <summary>True when samples were lost right before this frame: <see cref="FirstSampleIndex"/> jumps
    /// by <see cref="GapSamples"/>. A stage with a sliding window should usually restart it.</summary>
    public bool HasGapBefore => (Flags & FrameFlags.Gap) != 0;

    /// <summary>Samples lost right before this frame (0 unless <see cref="HasGapBefore"/>).</summary>
    public long GapSamples { get; }

    /// <summary>All values, sample-major: channel <c>c</c> of sample <c>s</c> is at <c>s * ChannelCount + c</c>.</summary>
    public ReadOnlySpan<float> Microvolts => _microvolts;

    /// <summary>Trigger events (stimulus markers) that fall in this frame; usually empty.</summary>
    public ReadOnlySpan<TriggerEvent> Triggers => _triggers;

    /// <summary>One value in microvolts.</summary>
    public float this[int sample, int channel]
    {
        get
        {
            if ((uint)channel >= (uint)ChannelCount) throw new ArgumentOutOfRangeException(nameof(channel));
            return _microvolts[sample * ChannelCount + channel];
        }
    }

    /// <summary>All channels of one sample (a slice of <see cref="Microvolts"/>, no copy).</summary>
    public ReadOnlySpan<float> Sample(int sample) => _microvolts.Slice(sample * ChannelCount, ChannelCount);

    /// <summary>Unix time of sample <paramref name="sample"/> of this frame, nanoseconds.</summary>
    public long SampleUnixNs(int sample) => FirstSampleUnixNs + sample * 1_000_000_000L / SampleRate;

    /// <summary>
    /// Copies one channel's <see cref="SampleCount"/> values into <paramref name="destination"/>
    /// (a strided read: one value every <see cref="ChannelCount"/>). Give it a buffer you allocated once.
    /// </summary>
    public void CopyChannel(int channel, Span<float> destination)
    {
        if ((uint)channel >= (uint)ChannelCount) throw new ArgumentOutOfRangeException(nameof(channel));
        if (destination.Length < SampleCount)
        {
            throw new ArgumentException($"destination holds {destination.Length} values; the frame has {SampleCount} samples.", nameof(destination));
        }
        ReadOnlySpan<float> values = _microvolts;
        int stride = ChannelCount;
        for (int s = 0, i = channel; s < SampleCount; s++, i += stride)
        {
            destination[s] = values[i];
        }
    }
}
