using System.Diagnostics;
using System.Threading.Channels;
using Eeg.Acquisition.Dsp;
using Eeg.Acquisition.Pacing;
using Eeg.Acquisition.Sources.Simulated;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Metrics;

namespace Eeg.Bench.Latency.Baselines;

/// <summary>
/// The seed's "current implementation", rebuilt in C# as the review describes it: a stage per async
/// task, unbounded channels between them, fresh arrays allocated for every packet (timestamps, raw
/// counts, voltages), and consumers that poll with a 1 ms sleep when their channel is empty. It
/// does the same work as ours (same signal, same filters, a scope and a recorder) so the two can be
/// compared in one run. Written to be measured, not used.
/// </summary>
public sealed class NaivePipeline(int channels, int sampleRate, int frameSamples, DspSettings dsp, double microvoltsPerCount, string recordPath)
{
    private sealed class EegPacket
    {
        public required long[] Timestamps;
        public required int[] RawSamples;
        public required float[] VoltageSamples;
    }

    public LatencyRecorder ScopeLatency { get; } = new();
    public LatencyRecorder RecorderLatency { get; } = new();
    public long ScopeFrames;

    /// <summary>Runs for <paramref name="total"/>; calls <paramref name="warmedUp"/> once, <paramref name="warmUp"/> after start.</summary>
    public async Task RunAsync(TimeSpan total, TimeSpan warmUp, WaitStrategyKind pacing, Action warmedUp, Action? finished = null)
    {
        var toFilter = Channel.CreateUnbounded<EegPacket>();
        var toScope = Channel.CreateUnbounded<EegPacket>();
        var toRecorder = Channel.CreateUnbounded<EegPacket>();
        var chain = new DspChain(dsp, channels, sampleRate, microvoltsPerCount);
        var signal = new EegSignal(channels, sampleRate, 50, 1, microvoltsPerCount);

        var sourceThread = new Thread(() =>
        {
            var pacer = new SamplePacer(sampleRate, pacing);
            pacer.Start();
            long start = Stopwatch.GetTimestamp();
            long end = start + (long)(total.TotalSeconds * Stopwatch.Frequency);
            long warm = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            bool signalled = false;
            while (Stopwatch.GetTimestamp() < end)
            {
                var packet = new EegPacket
                {
                    Timestamps = new long[frameSamples],
                    RawSamples = new int[frameSamples * channels],
                    VoltageSamples = new float[frameSamples * channels],
                };
                for (int s = 0; s < frameSamples; s++)
                {
                    packet.Timestamps[s] = pacer.WaitNext();
                    signal.Next(packet.RawSamples.AsSpan(s * channels, channels));
                }
                toFilter.Writer.TryWrite(packet);
                if (!signalled && Stopwatch.GetTimestamp() >= warm)
                {
                    signalled = true;
                    warmedUp();
                }
            }
            toFilter.Writer.Complete();
        }) { Name = "naive-source", IsBackground = true, Priority = ThreadPriority.Highest };
        sourceThread.Start();

        Task filter = Task.Run(async () =>
        {
            while (true)
            {
                if (toFilter.Reader.TryRead(out EegPacket? packet))
                {
                    for (int i = 0; i < packet.RawSamples.Length; i++) packet.VoltageSamples[i] = (float)(packet.RawSamples[i] * microvoltsPerCount);
                    chain.ProcessMicrovolts(packet.VoltageSamples, frameSamples);
                    toScope.Writer.TryWrite(packet);
                    toRecorder.Writer.TryWrite(packet);
                    continue;
                }
                if (toFilter.Reader.Completion.IsCompleted) break;
                await Task.Delay(1); // the seed's polling loop
            }
            toScope.Writer.Complete();
            toRecorder.Writer.Complete();
        });

        Task scope = Task.Run(async () =>
        {
            while (true)
            {
                if (toScope.Reader.TryRead(out EegPacket? packet))
                {
                    ScopeLatency.RecordSince(packet.Timestamps[^1]);
                    Interlocked.Increment(ref ScopeFrames);
                    continue;
                }
                if (toScope.Reader.Completion.IsCompleted) break;
                await Task.Delay(1);
            }
        });

        Task recorder = Task.Run(async () =>
        {
            await using var file = new FileStream(recordPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            while (true)
            {
                if (toRecorder.Reader.TryRead(out EegPacket? packet))
                {
                    RecorderLatency.RecordSince(packet.Timestamps[^1]);
                    byte[] bytes = new byte[packet.VoltageSamples.Length * sizeof(float)];
                    Buffer.BlockCopy(packet.VoltageSamples, 0, bytes, 0, bytes.Length);
                    await file.WriteAsync(bytes);
                    continue;
                }
                if (toRecorder.Reader.Completion.IsCompleted) break;
                await Task.Delay(1);
            }
        });

        await Task.WhenAll(filter, scope, recorder);
        sourceThread.Join();
        finished?.Invoke();
    }
}
