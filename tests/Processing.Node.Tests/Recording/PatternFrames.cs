using Eeg.Pipeline.Slabs;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Processing.Node.Recording;

/// <summary>Frames of the simulator's pattern signal, filled into slabs as the reader would.</summary>
/// <remarks>
/// The slabs are a small ring of pool-less <see cref="Slab"/>s rather than a <see cref="SlabPool"/>: on this
/// branch's base the pool's BoundedMpmcQueue fails to load (TypeLoadException, fixed on branch ring). The
/// writer only reads a slab during Write, and every slab here is reference-counted and released exactly as the
/// base actor does, so the recorder sees the same thing either way.
/// </remarks>
internal sealed class PatternFrames
{
    public const long StartUnixNs = 1_795_000_000_123_456_000; // 2026-11-19T..., with a sub-second part

    public PatternFrames(int channels = 32, int sampleRate = 4000, int frameSamples = 1, int gain = 24, double vref = 4.5)
    {
        Description = new StreamDescription(StreamDescription.DefaultChannelNames(channels), sampleRate, frameSamples, gain, vref,
            "uV", "none", StartUnixNs, "simulated");
        _slabs = new Slab[8];
        for (int i = 0; i < _slabs.Length; i++) _slabs[i] = new Slab(channels, frameSamples);
        FrameSamples = frameSamples;
    }

    private readonly Slab[] _slabs;
    private int _next;

    public StreamDescription Description { get; }
    public int FrameSamples { get; }
    public int Channels => Description.ChannelCount;
    public int Rate => Description.SampleRate;

    public static float Microvolts(long index, int channel, double uvPerCount) => (float)(VerifyCommand.Pattern(index, channel) * uvPerCount);

    /// <summary>Rents a slab and fills it with <paramref name="samples"/> pattern samples from <paramref name="firstIndex"/>.</summary>
    public Slab Rent(long firstIndex, int samples, long gapBefore = 0)
    {
        Slab slab = _slabs[_next];
        _next = (_next + 1) % _slabs.Length;
        if (slab.References != 0) throw new InvalidOperationException("slab still held: a test forgot to release it");
        slab.ResetHeader();
        slab.SetReferences(1);
        Fill(slab, firstIndex, samples, gapBefore);
        return slab;
    }

    public void Fill(Slab slab, long firstIndex, int samples, long gapBefore = 0)
    {
        double step = Description.MicrovoltsPerCount;
        int channels = Channels;
        slab.FirstSampleIndex = firstIndex;
        slab.SampleCount = samples;
        slab.FirstSampleUnixNs = StartUnixNs + firstIndex * 1_000_000_000L / Rate;
        slab.GapSamples = gapBefore;
        slab.Flags = gapBefore > 0 ? FrameFlags.Gap : FrameFlags.None;
        slab.TriggerCount = 0;
        for (int s = 0; s < samples; s++)
        {
            long index = firstIndex + s;
            slab.DrdyTicks[s] = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int c = 0; c < channels; c++)
            {
                int count = VerifyCommand.Pattern(index, c);
                slab.Counts[s * channels + c] = count;
                slab.Microvolts[s * channels + c] = (float)(count * step);
            }
        }
    }

    /// <summary>Writes samples [from, to) in frames of the pool's size, each slab released after the write as the base actor does.</summary>
    public void WriteRange(RecordingWriter writer, long from, long to, long gapBefore = 0)
    {
        int frame = FrameSamples;
        for (long i = from; i < to; i += frame)
        {
            int n = (int)Math.Min(frame, to - i);
            Slab slab = Rent(i, n, i == from ? gapBefore : 0);
            try { writer.Write(slab); }
            finally { slab.Release(); }
        }
    }
}
