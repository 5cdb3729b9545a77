using System.Diagnostics;
using Eeg.Acquisition.Pacing;
using Eeg.Pipeline.Metrics;

namespace Eeg.Bench.Latency.Scenarios;

/// <summary>
/// How late clock_nanosleep wakes the simulated amplifier's reader for a 250 us deadline, with the
/// kernel's default timer slack (50 us) and with the 1 us slack PreciseClock asks for. Each thread
/// runs 4000 deadlines (1 s at 4 kSPS) on its own, so the slack setting of one does not leak into
/// the other.
/// </summary>
public static class TimerSlackScenario
{
    public sealed record Result(string Slack, Eeg.Shared.Status.LatencySnapshot Lateness);

    public static IReadOnlyList<Result> Run(int deadlines = 4000)
    {
        var results = new List<Result>();
        foreach (bool fine in new[] { false, true })
        {
            var lateness = new LatencyRecorder();
            var thread = new Thread(() =>
            {
                if (fine) PreciseClock.UseFineTimerSlackForThisThread();
                long period = Stopwatch.Frequency / 4000;
                long deadline = Stopwatch.GetTimestamp() + period;
                for (int i = 0; i < deadlines; i++)
                {
                    PreciseClock.SleepUntil(deadline);
                    lateness.RecordSince(deadline);
                    deadline += period;
                }
            });
            thread.Start();
            thread.Join();
            results.Add(new Result(fine ? "1 us (PreciseClock)" : "default (50 us)", lateness.Snapshot()));
        }
        return results;
    }
}
