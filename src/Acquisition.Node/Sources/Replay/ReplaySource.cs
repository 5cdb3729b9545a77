using System.Diagnostics;
using Eeg.Acquisition.Pacing;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.Sources.Replay;

/// <summary>
/// Plays a BDF recording through the pipeline (pipeline.source = replay), at the file's own rate or
/// as fast as the pipeline takes it, so that stages can be run on old recordings. The file's sample
/// indices are kept, so its gaps come out as gaps; its triggers come out as triggers.
/// </summary>
public sealed class ReplaySource : ISampleSource
{
    private readonly BdfSampleStream _stream;
    private readonly bool _realTime;
    private readonly SamplePacer _pacer;
    private readonly int[] _pending;
    private long _pendingIndex;
    private int _pendingTrigger;
    private bool _hasPending;
    private volatile bool _stopped;

    public ReplaySource(BdfSampleStream stream, bool realTime, WaitStrategyKind wait)
    {
        _stream = stream;
        _realTime = realTime;
        _pacer = new SamplePacer(stream.SampleRate, wait);
        _pending = new int[stream.ChannelCount];
    }

    public string Name => "replay";
    public int Channels => _stream.ChannelCount;
    public int SampleRate => _stream.SampleRate;
    public bool IsRealTime => _realTime;

    /// <summary>The file being played.</summary>
    public BdfSampleStream Stream => _stream;

    public void Start()
    {
        _stopped = false;
        _pacer.Start();
    }

    public bool WaitForSample(out long drdyTicks)
    {
        drdyTicks = 0;
        if (_stopped) return false;
        // Read ahead one sample: the end of the file must be known before we promise a sample.
        if (!_hasPending)
        {
            if (!_stream.TryReadSample(_pending, out _pendingIndex, out _pendingTrigger)) return false;
            _hasPending = true;
        }
        drdyTicks = _realTime ? _pacer.WaitNext() : Stopwatch.GetTimestamp();
        return !_stopped;
    }

    public void ReadSample(Span<int> counts, out SampleInfo info)
    {
        _pending.AsSpan().CopyTo(counts);
        info = new SampleInfo
        {
            Index = _pendingIndex,
            TriggerCode = _pendingTrigger,
            TriggerSource = TriggerSource.HostPin,
        };
        _hasPending = false;
    }

    public void Stop() => _stopped = true;

    public void Dispose()
    {
        Stop();
        _stream.Dispose();
    }
}
