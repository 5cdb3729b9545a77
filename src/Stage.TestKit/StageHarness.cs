using Eeg.Shared.Frames;

namespace Eeg.Shared.Stages.TestKit;

/// <summary>
/// Drives a stage the way the host does, without actors: OnStart, frames with consecutive sample
/// indices (or a gap), OnStop. Builds each <see cref="FrameView"/> over the caller's data, so feeding
/// allocates nothing.
/// </summary>
public sealed class StageHarness
{
    private bool _gapPending;
    private long _gapSamples;

    public StageHarness(IStage stage, StreamDescription stream, string stageName = "under-test")
    {
        Stage = stage;
        Stream = stream;
        Context = new RecordingStageContext(stageName, stream);
    }

    public IStage Stage { get; }

    public StreamDescription Stream { get; }

    public RecordingStageContext Context { get; }

    public int Channels => Stream.ChannelCount;

    /// <summary>Index the next frame starts at.</summary>
    public long NextSampleIndex { get; private set; }

    /// <summary>Frames fed so far.</summary>
    public long Frames { get; private set; }

    public void Start() => Stage.OnStart(Stream, Context);

    public void Stop() => Stage.OnStop();

    /// <summary>Loses <paramref name="samples"/> samples: the next frame starts that much later and carries the gap flag.</summary>
    public void Gap(long samples)
    {
        NextSampleIndex += samples;
        _gapPending = true;
        _gapSamples += samples;
    }

    /// <summary>Feeds one frame (sample-major values, a whole number of samples).</summary>
    public void Feed(ReadOnlySpan<float> frameValues, ReadOnlySpan<TriggerEvent> triggers = default)
    {
        FrameFlags flags = FrameFlags.None;
        long gap = 0;
        if (_gapPending)
        {
            flags |= FrameFlags.Gap;
            gap = _gapSamples;
            _gapPending = false;
            _gapSamples = 0;
        }
        if (!triggers.IsEmpty) flags |= FrameFlags.Triggers;
        long unixNs = Stream.StartUnixNs + NextSampleIndex * 1_000_000_000L / Stream.SampleRate;
        var view = new FrameView(frameValues, Channels, NextSampleIndex, unixNs, Stream.SampleRate, flags, gap, triggers);
        Context.CurrentSampleIndex = view.LastSampleIndex;
        Stage.Process(in view, Context);
        NextSampleIndex += view.SampleCount;
        Frames++;
    }

    /// <summary>Feeds a long sample-major recording in frames of <paramref name="samplesPerFrame"/> samples.</summary>
    public void FeedAll(ReadOnlySpan<float> interleaved, int samplesPerFrame = 1)
    {
        int step = samplesPerFrame * Channels;
        for (int offset = 0; offset < interleaved.Length; offset += step)
        {
            Feed(interleaved.Slice(offset, Math.Min(step, interleaved.Length - offset)));
        }
    }
}
