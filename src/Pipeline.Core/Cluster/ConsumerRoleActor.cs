using Akka.Actor;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Remote;
using Eeg.Pipeline.Sinks;

namespace Eeg.Pipeline.Cluster;

/// <summary>A local sink a consumer node runs behind its policy mailbox, fed from a remote sink.</summary>
public sealed record LocalSink(SinkSettings Settings, Func<SinkCounters, Props> CreateProps, string? Dispatcher = null);

/// <summary>
/// The top actor of a consumer role (processing, gateway): creates the role's local sinks behind their
/// policy mailboxes, one consumer for the remote sink that feeds them, and the locator that points the
/// consumer at the acquisition node whenever it is up. Supervises the sinks like the acquisition
/// actor does (a sink that throws is restarted, its restarts counted).
/// </summary>
public sealed class ConsumerRoleActor : ReceiveActor
{
    private readonly string _remoteSink;
    private readonly bool _lossless;
    private readonly int _window;
    private readonly IReadOnlyList<LocalSink> _sinks;

    public ConsumerRoleActor(string remoteSink, bool lossless, int window, IReadOnlyList<LocalSink> sinks)
    {
        _remoteSink = remoteSink;
        _lossless = lossless;
        _window = window;
        _sinks = sinks;
        Receive<GetLocalSink>(m => Sender.Tell(Context.Child(m.Name)));
    }

    public static Props Props(string remoteSink, bool lossless, int window, IReadOnlyList<LocalSink> sinks) =>
        Akka.Actor.Props.Create(() => new ConsumerRoleActor(remoteSink, lossless, window, sinks));

    /// <summary>The consumer's counters, for status and tests.</summary>
    public static RemoteConsumerCounters CountersOf(ActorSystem system, string remoteSink) =>
        s_counters.GetOrAdd((system, remoteSink), key => new RemoteConsumerCounters(key.Item2));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ActorSystem, string), RemoteConsumerCounters> s_counters = new();

    protected override void PreStart()
    {
        SinkRegistry registry = SinkRegistry.For(Context.System);
        var actors = new List<IActorRef>();
        int held = 0;
        foreach (LocalSink sink in _sinks)
        {
            SinkCounters counters = registry.Register(sink.Settings);
            Props props = sink.CreateProps(counters).WithMailbox(PolicyMailboxes.IdFor(sink.Settings.Policy));
            if (sink.Dispatcher is not null) props = props.WithDispatcher(sink.Dispatcher);
            actors.Add(Context.ActorOf(props, sink.Settings.Name));
            held += sink.Settings.Capacity + 1;
        }
        var options = new RemoteConsumerOptions { SinkName = _remoteSink, Lossless = _lossless, Window = _window };
        IActorRef consumer = Context.ActorOf(RemoteSinkConsumerActor.Props(options, actors, held, CountersOf(Context.System, _remoteSink)), "consumer-" + _remoteSink);
        Context.ActorOf(AcquisitionLocator.Props([(consumer, _remoteSink)]), "locator");
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, _ => Directive.Restart);
}

/// <summary>Asks a role actor for one of its local sinks by name (answered with the IActorRef, or Nobody).</summary>
public sealed record GetLocalSink(string Name);
