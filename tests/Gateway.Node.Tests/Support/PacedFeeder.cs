using System.Diagnostics;
using Akka.Actor;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Gateway.Node.Support;

/// <summary>
/// Stands in for the acquisition node in gateway tests: fills slabs from a <see cref="SlabPool"/>
/// with <see cref="EegTestSignal"/> at a real-time pace and tells them to the scope sink. Like the
/// real reader it never waits for a slab: an empty pool is counted as an overrun.
/// </summary>
public sealed class PacedFeeder : IAsyncDisposable
{
    private readonly IActorRef _sink;
    private readonly SlabPool _pool;
    private readonly int _sampleRate;
    private readonly int _frameSamples;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _nextIndex;
    private long _frames;
    private long _overruns;
    private readonly long _startUnixNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;

    public PacedFeeder(IActorRef sink, SlabPool pool, int sampleRate, int frameSamples)
    {
        _sink = sink;
        _pool = pool;
        _sampleRate = sampleRate;
        _frameSamples = frameSamples;
    }

    public int Channels => _pool.Channels;
    public int SampleRate => _sampleRate;
    public long Samples => Interlocked.Read(ref _nextIndex);
    public long Frames => Interlocked.Read(ref _frames);
    public long Overruns => Interlocked.Read(ref _overruns);
    public double UptimeSeconds => _started.Elapsed.TotalSeconds;

    /// <summary>Every this many samples a trigger (code 1, 2, 3...) is put on a frame; 0 = none.</summary>
    public int TriggerEverySamples { get; init; }

    /// <summary>Sample indices at which the feeder skips 40 samples and flags a gap (for the scope's markers).</summary>
    public IReadOnlyList<long> GapsAt { get; init; } = [];

    private readonly Stopwatch _started = new();

    public StreamDescription Description => new(
        StreamDescription.DefaultChannelNames(Channels), _sampleRate, _frameSamples, 24, 4.5, "uV",
        "HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4)", _startUnixNs, "test-feeder");

    public void Start()
    {
        _sink.Tell(Description);
        _started.Start();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Paced by a 5 ms periodic timer: each tick produces every frame that is due by the clock
    /// (like a DRDY burst after a scheduler hiccup), so the long-run rate is exact whatever the
    /// timer's jitter.
    /// </summary>
    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        int gapCursor = 0;
        bool gapPending = false;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                long due = (long)(_started.Elapsed.TotalSeconds * _sampleRate);
                while (_nextIndex + _frameSamples <= due)
                {
                    if (gapCursor < GapsAt.Count && _nextIndex >= GapsAt[gapCursor])
                    {
                        Interlocked.Add(ref _nextIndex, 40);
                        gapCursor++;
                        gapPending = true;
                        continue;
                    }
                    if (!_pool.TryRent(out Slab slab))
                    {
                        Interlocked.Increment(ref _overruns);
                        Interlocked.Add(ref _nextIndex, _frameSamples);
                        continue;
                    }
                    Fill(slab, gapPending);
                    gapPending = false;
                    _sink.Tell(slab);
                    Interlocked.Increment(ref _frames);
                    Interlocked.Add(ref _nextIndex, _frameSamples);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Fill(Slab slab, bool gap)
    {
        long first = _nextIndex;
        int channels = slab.Channels;
        float[] uv = slab.Microvolts;
        long now = Stopwatch.GetTimestamp();
        for (int s = 0; s < _frameSamples; s++)
        {
            for (int c = 0; c < channels; c++) uv[s * channels + c] = EegTestSignal.Value(first + s, c, _sampleRate);
            slab.DrdyTicks[s] = now;
        }
        slab.FirstSampleIndex = first;
        slab.SampleCount = _frameSamples;
        slab.FirstSampleUnixNs = _startUnixNs + first * 1_000_000_000L / _sampleRate;
        if (gap)
        {
            slab.Flags |= FrameFlags.Gap;
            slab.GapSamples = 40;
        }
        if (TriggerEverySamples > 0)
        {
            for (int s = 0; s < _frameSamples; s++)
            {
                long index = first + s;
                if (index > 0 && index % TriggerEverySamples == 0)
                {
                    slab.TryAddTrigger(new TriggerEvent(index, (int)(index / TriggerEverySamples % 8) + 1, TriggerSource.HostPin));
                }
            }
        }
    }

    /// <summary>The index of the next sample the feeder will produce (after <see cref="StopAsync"/>: one past the last).</summary>
    public long NextIndex => Interlocked.Read(ref _nextIndex);

    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
