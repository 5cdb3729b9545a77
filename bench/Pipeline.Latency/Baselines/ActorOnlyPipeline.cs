using System.Diagnostics;
using Akka.Actor;
using Eeg.Acquisition.Dsp;
using Eeg.Acquisition.Pacing;
using Eeg.Acquisition.Sources.Simulated;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Metrics;

namespace Eeg.Bench.Latency.Baselines;

/// <summary>
/// The same stages as plain Akka actors with default (unbounded) mailboxes on the default
/// dispatcher, and no ring: the reader thread Tells a DSP actor a freshly allocated frame, which
/// filters it and Tells the scope and recorder actors. This is what an idiomatic first Akka.NET
/// version would look like; it shows what the ring, the slabs and the low-latency dispatcher buy.
/// </summary>
public sealed class ActorOnlyPipeline(int channels, int sampleRate, int frameSamples, DspSettings dsp, double microvoltsPerCount, string recordPath)
{
    public sealed record Frame(long[] DrdyTicks, int[] Counts, float[] Microvolts);

    public LatencyRecorder ScopeLatency { get; } = new();
    public LatencyRecorder RecorderLatency { get; } = new();
    public long ScopeFrames;
    private long _sent;

    private sealed class DspActor : ReceiveActor
    {
        public DspActor(DspChain chain, double microvoltsPerCount, int frameSamples, IActorRef scope, IActorRef recorder)
        {
            Receive<Frame>(f =>
            {
                for (int i = 0; i < f.Counts.Length; i++) f.Microvolts[i] = (float)(f.Counts[i] * microvoltsPerCount);
                chain.ProcessMicrovolts(f.Microvolts, frameSamples);
                scope.Tell(f);
                recorder.Tell(f);
            });
        }
    }

    private sealed class ScopeActor : ReceiveActor
    {
        public ScopeActor(ActorOnlyPipeline owner)
        {
            Receive<Frame>(f =>
            {
                owner.ScopeLatency.RecordSince(f.DrdyTicks[^1]);
                Interlocked.Increment(ref owner.ScopeFrames);
            });
        }
    }

    private sealed class RecorderActor : ReceiveActor
    {
        private readonly FileStream _file;

        public RecorderActor(ActorOnlyPipeline owner, string path)
        {
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            Receive<Frame>(f =>
            {
                owner.RecorderLatency.RecordSince(f.DrdyTicks[^1]);
                byte[] bytes = new byte[f.Microvolts.Length * sizeof(float)];
                Buffer.BlockCopy(f.Microvolts, 0, bytes, 0, bytes.Length);
                _file.Write(bytes);
            });
        }

        protected override void PostStop() => _file.Dispose();
    }

    public async Task RunAsync(TimeSpan total, TimeSpan warmUp, WaitStrategyKind pacing, Action warmedUp, Action finished)
    {
        using ActorSystem system = ActorSystem.Create("actor-only-baseline", "akka.loglevel = WARNING");
        IActorRef scope = system.ActorOf(Props.Create(() => new ScopeActor(this)), "scope");
        IActorRef recorder = system.ActorOf(Props.Create(() => new RecorderActor(this, recordPath)), "recorder");
        var chain = new DspChain(dsp, channels, sampleRate, microvoltsPerCount);
        IActorRef dspActor = system.ActorOf(Props.Create(() => new DspActor(chain, microvoltsPerCount, frameSamples, scope, recorder)), "dsp");
        var signal = new EegSignal(channels, sampleRate, 50, 1, microvoltsPerCount);

        var reader = new Thread(() =>
        {
            var pacer = new SamplePacer(sampleRate, pacing);
            pacer.Start();
            long start = Stopwatch.GetTimestamp();
            long end = start + (long)(total.TotalSeconds * Stopwatch.Frequency);
            long warm = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            bool signalled = false;
            while (Stopwatch.GetTimestamp() < end)
            {
                var frame = new Frame(new long[frameSamples], new int[frameSamples * channels], new float[frameSamples * channels]);
                for (int s = 0; s < frameSamples; s++)
                {
                    frame.DrdyTicks[s] = pacer.WaitNext();
                    signal.Next(frame.Counts.AsSpan(s * channels, channels));
                }
                dspActor.Tell(frame);
                _sent++;
                if (!signalled && Stopwatch.GetTimestamp() >= warm)
                {
                    signalled = true;
                    warmedUp();
                }
            }
        }) { Name = "actor-only-reader", IsBackground = true, Priority = ThreadPriority.Highest };
        reader.Start();
        reader.Join();
        // Measure before the actor system's shutdown adds its own allocations, after the mailboxes
        // drained (the scope has seen every frame sent, or 5 s passed).
        long sent = _sent;
        var drained = Stopwatch.StartNew();
        while (Interlocked.Read(ref ScopeFrames) < sent && drained.Elapsed < TimeSpan.FromSeconds(5)) await Task.Yield();
        finished();
        await system.Terminate();
    }
}
