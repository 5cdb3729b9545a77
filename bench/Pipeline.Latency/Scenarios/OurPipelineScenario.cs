using Akka.Actor;
using Akka.Configuration;
using Eeg.Acquisition.Actors;
using Eeg.Acquisition.Hosting;
using Eeg.Acquisition.Pipeline;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Dispatch;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Processing.Recording;

namespace Eeg.Bench.Latency.Scenarios;

/// <summary>
/// Our pipeline, as the node runs it: simulated source paced at the sample rate, ring, DSP on the
/// ring's consumer thread, fan-out to a scope sink (drop-oldest mailbox on the low-latency
/// dispatcher) and the real lossless recorder writing BDF to a temporary directory.
/// </summary>
public sealed class OurPipelineScenario(HarnessOptions options)
{
    /// <summary>
    /// The scope's per-frame work without a browser: encode the frame once into a pooled wire-format
    /// buffer (what ScopeHub.Publish does before offering it to each client) and let go of it.
    /// </summary>
    private sealed class ScopeWork
    {
        private readonly Eeg.Gateway.Streaming.EncodedFramePool _pool = new();

        public void Publish(Slab slab)
        {
            var frame = _pool.Rent(Eeg.Gateway.Streaming.WireFormat.FrameBytes(slab.Channels, slab.SampleCount));
            frame.Encode(slab.MicrovoltSpan, slab.Channels, slab.SampleCount, (uint)slab.Flags, slab.FirstSampleIndex, slab.FirstSampleUnixNs);
            frame.Release();
        }
    }

    /// <summary>The scope as an actor behind its drop-oldest mailbox, doing the same work.</summary>
    private sealed class ScopeActor(SinkCounters counters, ScopeWork work) : FrameSinkActor(counters)
    {
        protected override void OnFrame(Slab slab) => work.Publish(slab);
    }

    public async Task<ScenarioResult> RunAsync(string recordDirectory)
    {
        string hocon = $$"""
            pipeline {
              channels = {{options.Channels}}
              sample-rate = {{options.SampleRate}}
              frame-samples = {{options.FrameSamples}}
              ring-size = {{options.RingSize}}
              wait-strategy = {{options.WaitStrategy}}
              simulated.signal = eeg
            }
            recorder { enabled = on, directory = "{{recordDirectory.Replace("\\", "/")}}", formats = [bdf] }
            """;
        Config config = ConfigLoader.Load(null, hocon);
        PipelineSettings settings = PipelineSettings.FromConfig(config);
        RecorderSettings recorderSettings = RecorderSettings.FromConfig(config);

        using ActorSystem system = ActorSystem.Create("latency-harness", ConfigurationFactory.ParseString(
            "akka.loglevel = WARNING\n" + PolicyMailboxes.Hocon + "\n" + SinkDispatchers.Hocon(options.SinkWaitStrategy)));

        AcquisitionPipeline pipeline = PipelineFactory.Create(settings);
        SinkSettings scopeSettings = settings.Sinks.Single(s => s.Name == "scope");
        SinkSettings recorderSinkSettings = settings.Sinks.Single(s => s.Name == "recorder");
        var work = new ScopeWork();
        var sinks = new List<SinkRegistration> { new(recorderSinkSettings, c => RecorderActor.Props(recorderSettings, c)) };
        if (options.Scope == "actor")
        {
            sinks.Add(new(scopeSettings, c => Props.Create(() => new ScopeActor(c, work)).WithDispatcher(SinkDispatchers.LowLatency)));
        }
        else
        {
            // As the node does it (NodeHost.Roles): on the DSP thread, no hop.
            SinkCounters inline = SinkRegistry.For(system).Register(scopeSettings);
            pipeline.FanOut.Add(new Eeg.Acquisition.FanOut.InlineFrameSink("scope", inline, work.Publish, _ => { }));
        }
        IActorRef acquisition = system.ActorOf(AcquisitionActor.Props(pipeline, sinks, TimeSpan.Zero, null), "acquisition");
        IActorRef recorder = await acquisition.Ask<IActorRef>(new GetSinkActor("recorder"), TimeSpan.FromSeconds(10));
        recorder.Tell(new Eeg.Shared.Recording.StartRecording("bench", "latency"));

        SinkCounters scope = SinkRegistry.For(system).All.Single(c => c.Name == "scope");
        SinkCounters recorderCounters = SinkRegistry.For(system).All.Single(c => c.Name == "recorder");

        await Task.Delay(options.WarmUp);
        var window = MeasurementWindow.Begin(pipeline.Counters, scope.Delivered);
        scope.Latency.Reset();
        recorderCounters.Latency.Reset();

        await Task.Delay(options.Duration);

        MeasurementWindow.End end = window.Finish(pipeline.Counters, scope.Delivered);
        var scopeLatency = scope.Latency.Snapshot();
        var recorderLatency = recorderCounters.Latency.Snapshot();
        recorder.Tell(Eeg.Shared.Recording.StopRecording.Instance);
        await acquisition.GracefulStop(TimeSpan.FromSeconds(10));
        await system.Terminate();

        return new ScenarioResult(
            scopeLatency.P50, scopeLatency.P99, scopeLatency.P999, scopeLatency.Max,
            end.ProcessBytesPerFrame, end.Gen0, end.Gen1, end.Gen2,
            end.Overruns, scope.Dropped + recorderCounters.Dropped)
        {
            Frames = end.Frames,
            RecorderP99Us = recorderLatency.P99,
            HotPathBytesPerFrame = end.HotPathBytesPerFrame,
            AllocScope = "whole process (hot path: reader + DSP threads, see hotPathBytesPerFrame)",
        };
    }
}
