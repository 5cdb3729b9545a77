using Akka.Actor;
using Eeg.Shared.Stages;

namespace Eeg.Gateway.Streaming;

/// <summary>
/// Forwards stage outputs and stage events from the actor system's event stream to every
/// WebSocket client as JSON. Stage hosts throttle their outputs to a few per second, so the JSON
/// built here is not a per-frame cost.
/// </summary>
public sealed class StageOutputForwarder : ReceiveActor
{
    private readonly ScopeHub _hub;

    public StageOutputForwarder(ScopeHub hub)
    {
        _hub = hub;
        Receive<StageOutputUpdate>(u => _hub.BroadcastText(JsonMessages.StageOutput(u)));
        Receive<StageEvent>(e => _hub.BroadcastText(JsonMessages.StageEvent(e)));
    }

    public static Props Props(ScopeHub hub) => Akka.Actor.Props.Create(() => new StageOutputForwarder(hub));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(StageOutputUpdate));
        Context.System.EventStream.Subscribe(Self, typeof(StageEvent));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
