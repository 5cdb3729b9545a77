using Akka.Actor;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Gateway.Streaming;

/// <summary>
/// The fan-out's "scope" sink: hands every frame to the <see cref="ScopeHub"/>, which encodes it
/// once and offers it to each browser. The fan-out gives this actor its drop-oldest mailbox;
/// the per-client queues behind the hub are the second, per-browser level of the same policy.
/// </summary>
/// <remarks>
/// The slab is not kept past <see cref="OnFrame"/>: the hub copies its microvolts into the
/// gateway's own pooled buffers, so however many browsers lag, the pipeline's slab pool (sized
/// for the sink depths) is never drained by them.
/// </remarks>
public sealed class ScopeSinkActor : FrameSinkActor
{
    private readonly ScopeHub _hub;

    public ScopeSinkActor(SinkCounters counters, ScopeHub hub) : base(counters) => _hub = hub;

    /// <summary>Props for the fan-out (it adds the sink's mailbox).</summary>
    public static Props Props(SinkCounters counters, ScopeHub hub) =>
        Akka.Actor.Props.Create(() => new ScopeSinkActor(counters, hub));

    protected override void OnFrame(Slab slab) => _hub.Publish(slab);

    protected override void OnStreamStarted(StreamDescription description) => _hub.SetStream(description);
}
