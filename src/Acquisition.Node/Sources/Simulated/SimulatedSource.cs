using System.Diagnostics;
using Eeg.Acquisition.Pacing;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Sources.Simulated;

/// <summary>
/// The embedded default amplifier: ADS1299-like 24-bit counts for C channels, paced at the sample
/// rate by a precise per-sample deadline (or free-running for benchmarks). It stands in for a FIFO'd
/// amplifier: a reader held up by the scheduler gets the samples that fell due meanwhile, late but
/// complete (the lateness is counted and shows as latency). The real ADS1299 source, which loses a
/// sample not read before the next DRDY, is a separate class.
/// </summary>
public sealed class SimulatedSource : ISampleSource
{
    private readonly SimulatedSettings _settings;
    private readonly EegSignal? _eeg;
    private readonly SamplePacer _pacer;
    private long _index = -1;
    private volatile bool _stopped;

    public SimulatedSource(int channels, int sampleRate, SimulatedSettings settings, WaitStrategyKind wait, double microvoltsPerCount)
    {
        Channels = channels;
        SampleRate = sampleRate;
        _settings = settings;
        _pacer = new SamplePacer(sampleRate, wait);
        if (settings.Signal == SimulatedSignal.Eeg)
        {
            _eeg = new EegSignal(channels, sampleRate, settings.MainsHz, settings.Seed, microvoltsPerCount);
        }
    }

    public string Name => "simulated";
    public int Channels { get; }
    public int SampleRate { get; }
    public bool IsRealTime => !_settings.FreeRunning;

    /// <summary>Samples produced after their deadline had passed (the reader was held up).</summary>
    public long LateSamples => _pacer.LateSamples;

    public void Start()
    {
        _stopped = false;
        _pacer.Start();
    }

    public bool WaitForSample(out long drdyTicks)
    {
        if (_stopped)
        {
            drdyTicks = 0;
            return false;
        }
        drdyTicks = _settings.FreeRunning ? Stopwatch.GetTimestamp() : _pacer.WaitNext();
        return !_stopped;
    }

    public void ReadSample(Span<int> counts, out SampleInfo info)
    {
        _index++;
        if (_eeg is null) PatternSignal.Fill(_index, counts);
        else _eeg.Next(counts);
        info = new SampleInfo { Index = _index };
    }

    public void Stop() => _stopped = true;

    public void Dispose() => Stop();
}
