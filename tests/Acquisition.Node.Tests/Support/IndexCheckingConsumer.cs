using Eeg.Acquisition.Sources.Simulated;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;

namespace Eeg.Tests.Acquisition.Node.Support;

/// <summary>
/// Drains a sink queue on its own thread and checks what a sink must see: sample indices that
/// continue exactly (or jump only where the frame says Gap, by GapSamples), and, for the pattern
/// signal, every raw count equal to the pattern.
/// </summary>
public sealed class IndexCheckingConsumer : IDisposable
{
    private readonly FramePolicyQueue _queue;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _next = -1;

    public IndexCheckingConsumer(FramePolicyQueue queue, bool checkPattern)
    {
        _queue = queue;
        CheckPattern = checkPattern;
        _thread = new Thread(Run) { IsBackground = true, Name = "test-consumer" };
        _thread.Start();
    }

    public bool CheckPattern { get; }
    public long Samples;
    public long Frames;
    public long UnexpectedJumps;
    public long GapSamplesSeen;
    public long PatternErrors;
    public string? FirstError;

    private void Run()
    {
        var spin = new SpinWait();
        while (!_stop || _queue.Count > 0)
        {
            if (!_queue.TryTake(out Slab slab))
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            spin.Reset();
            Check(slab);
            slab.Release();
        }
    }

    private void Check(Slab slab)
    {
        if (_next >= 0)
        {
            long expected = _next + slab.GapSamples;
            if (slab.FirstSampleIndex != expected)
            {
                UnexpectedJumps++;
                FirstError ??= $"frame starts at {slab.FirstSampleIndex}, expected {expected} (gap {slab.GapSamples})";
            }
        }
        GapSamplesSeen += slab.GapSamples;
        if (CheckPattern)
        {
            for (int s = 0; s < slab.SampleCount; s++)
            {
                for (int c = 0; c < slab.Channels; c++)
                {
                    int expected = PatternSignal.CountAt(slab.FirstSampleIndex + s, c);
                    if (slab.Counts[s * slab.Channels + c] != expected)
                    {
                        PatternErrors++;
                        FirstError ??= $"sample {slab.FirstSampleIndex + s} channel {c}: {slab.Counts[s * slab.Channels + c]} != {expected}";
                    }
                }
            }
        }
        _next = slab.FirstSampleIndex + slab.SampleCount;
        Samples += slab.SampleCount;
        Frames++;
    }

    /// <summary>Stops after the queue is empty.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
