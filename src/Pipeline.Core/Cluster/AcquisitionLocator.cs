using Akka.Actor;
using Akka.Cluster;
using Eeg.Pipeline.Remote;

namespace Eeg.Pipeline.Cluster;

/// <summary>
/// On a consumer node (processing, gateway): follows the cluster's membership and tells each remote
/// sink consumer where its sink lives whenever the acquisition node is up, including when it comes
/// back as a new incarnation, so consumers resubscribe by themselves.
/// </summary>
public sealed class AcquisitionLocator : ReceiveActor
{
    /// <summary>Path of the acquisition actor under which the remote sinks run.</summary>
    public static readonly string[] SinkParent = ["user", "acquisition"];

    private readonly IReadOnlyList<(IActorRef Consumer, string SinkName)> _consumers;
    private Member? _acquisition;

    public AcquisitionLocator(IReadOnlyList<(IActorRef Consumer, string SinkName)> consumers)
    {
        _consumers = consumers;
        Receive<ClusterEvent.MemberUp>(up => Found(up.Member));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (_acquisition is not null && removed.Member.UniqueAddress.Equals(_acquisition.UniqueAddress))
            {
                _acquisition = null;
                foreach ((IActorRef consumer, _) in _consumers) consumer.Tell(new RemoteProducerAt(null));
            }
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props(IReadOnlyList<(IActorRef Consumer, string SinkName)> consumers) =>
        Akka.Actor.Props.Create(() => new AcquisitionLocator(consumers));

    /// <summary>The actor path of remote sink <paramref name="sinkName"/> on the node at <paramref name="address"/>.</summary>
    public static ActorPath SinkPath(Address address, string sinkName) =>
        new RootActorPath(address) / SinkParent[0] / SinkParent[1] / sinkName;

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Found(Member member)
    {
        if (!member.HasRole(ClusterNodeSettings.Acquisition)) return;
        _acquisition = member;
        foreach ((IActorRef consumer, string sink) in _consumers)
        {
            consumer.Tell(new RemoteProducerAt(SinkPath(member.Address, sink)));
        }
    }
}
