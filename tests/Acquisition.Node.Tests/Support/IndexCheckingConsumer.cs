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
    /// <summary>Index of the last sample seen (-1 before the first frame).</summary>
    public long LastIndex => _next - 1;
    /// <summary>Index of the first sample seen (-1 before the first frame).</summary>
    public long FirstIndex = -1;
    public long Frames;
    public long UnexpectedJumps;
    /// <summary>Frames whose first index was at or before one already seen: a repeat, never allowed.</summary>
    public long Repeats;
    /// <summary>Samples skipped by index jumps that no Gap flag announced (a lossy sink's own drops).</summary>
    public long SkippedSamples;
    public long GapSamplesSeen;
    public long PatternErrors;
    public string? FirstError;
    public string? RepeatError;

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
        if (FirstIndex < 0) FirstIndex = slab.FirstSampleIndex;
        if (_next >= 0)
        {
            long expected = _next + slab.GapSamples;
            if (slab.FirstSampleIndex < _next)
            {
                Repeats++;
                RepeatError ??= $"frame starts at {slab.FirstSampleIndex}, after {_next - 1} was seen";
            }
            else if (slab.FirstSampleIndex != expected)
            {
                UnexpectedJumps++;
                SkippedSamples += slab.FirstSampleIndex - expected;
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
