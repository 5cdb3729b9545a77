using Akka.Actor;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Hosting;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Status;

namespace Eeg.Tests.Gateway.Node.Support;

/// <summary>
/// A gateway on a free loopback port, its scope sink actor and a paced feeder (32 ch x 4000 SPS,
/// 1-sample frames: the pipeline's defaults), with a status source built from their counters.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private GatewayHost(GatewayServer server, PacedFeeder feeder, SinkCounters counters, SlabPool pool)
    {
        Server = server;
        Feeder = feeder;
        Counters = counters;
        Pool = pool;
    }

    /// <summary>The control token of the test gateways (so they never read or write the user's token file).</summary>
    public const string ControlTokenForTests = "gateway-tests-control-token";

    public GatewayServer Server { get; }
    public PacedFeeder Feeder { get; }
    public SinkCounters Counters { get; }
    public SlabPool Pool { get; }
    public Uri BaseAddress => Server.BaseAddress;

    public static async Task<GatewayHost> StartAsync(
        ActorSystem system,
        GatewaySettings? settings = null,
        int channels = 32,
        int sampleRate = 4000,
        int frameSamples = 1,
        int triggerEverySamples = 0,
        IReadOnlyList<long>? gapsAt = null)
    {
        settings ??= GatewaySettings.Default with { Port = 0, ControlToken = ControlTokenForTests };
        var counters = new SinkCounters("scope", SinkPolicy.DropOldest, 4);
        // Four seconds of frames: the test machine is shared (2 cores, load averages near 20 seen
        // with a headless Chromium and parallel builds; the sink's thread was once descheduled for
        // 0.96 s), and the sink actor here has a plain mailbox, so such a stall must not look like
        // an overrun. The pool stays independent of the number of browsers: the gateway copies
        // each frame out of its slab in OnFrame.
        var pool = new SlabPool(4 * sampleRate / frameSamples, channels, frameSamples);
        PacedFeeder? feeder = null;
        GatewayServer server = await GatewayServer.StartAsync(settings, system, _ => Task.FromResult(Status(feeder!, counters)), CancellationToken.None);
        IActorRef sink = system.ActorOf(server.ScopeSinkProps(counters), "scope-" + Guid.NewGuid().ToString("N"));
        feeder = new PacedFeeder(sink, pool, sampleRate, frameSamples)
        {
            TriggerEverySamples = triggerEverySamples,
            GapsAt = gapsAt ?? [],
        };
        return new GatewayHost(server, feeder, counters, pool);
    }

    private static PipelineStatus Status(PacedFeeder feeder, SinkCounters scope)
    {
        SinkStatus sink = scope.Snapshot();
        return new PipelineStatus(
            "test-feeder", feeder.Channels, feeder.SampleRate, feeder.Samples, feeder.Frames, feeder.Overruns, 0,
            feeder.UptimeSeconds, sink.Latency, new Dictionary<string, SinkStatus> { ["scope"] = sink });
    }

    public async ValueTask DisposeAsync()
    {
        await Feeder.DisposeAsync();
        await Server.StopAsync();
    }
}
