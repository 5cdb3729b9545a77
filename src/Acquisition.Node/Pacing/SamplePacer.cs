using System.Diagnostics;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Pacing;

/// <summary>
/// Hands out one deadline per sample at an exact rate (index * period from the start, so rounding
/// never accumulates) and waits for each with the configured strategy. When the waiting thread was
/// held up past several deadlines, the samples that fell due meanwhile come out at once, each with
/// its own deadline as its DRDY time: the delay shows up as latency, nothing is lost.
/// </summary>
public sealed class SamplePacer
{
    private readonly WaitStrategyKind _wait;
    private readonly double _ticksPerSample;
    private long _startTicks;
    private long _next;
    private long _lateSamples;

    public SamplePacer(int sampleRate, WaitStrategyKind wait)
    {
        _wait = wait;
        _ticksPerSample = Stopwatch.Frequency / (double)sampleRate;
    }

    /// <summary>Samples whose deadline had already passed when the pacer reached them.</summary>
    public long LateSamples => Interlocked.Read(ref _lateSamples);

    /// <summary>Starts the clock: the first deadline is one period from now.</summary>
    public void Start()
    {
        _startTicks = Stopwatch.GetTimestamp();
        _next = 0;
        if (_wait == WaitStrategyKind.Blocking) PreciseClock.UseFineTimerSlackForThisThread();
    }

    /// <summary>Waits for the next sample's deadline and returns it as a Stopwatch timestamp.</summary>
    public long WaitNext()
    {
        _next++;
        long deadline = _startTicks + (long)(_next * _ticksPerSample);
        if (Stopwatch.GetTimestamp() >= deadline)
        {
            Interlocked.Increment(ref _lateSamples);
            return deadline;
        }
        switch (_wait)
        {
            case WaitStrategyKind.BusySpin:
                PreciseClock.SpinUntil(deadline);
                break;
            case WaitStrategyKind.Yielding:
                PreciseClock.YieldUntil(deadline);
                break;
            default:
                PreciseClock.SleepUntil(deadline);
                break;
        }
        return deadline;
    }
}
