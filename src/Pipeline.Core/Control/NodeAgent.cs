using Akka.Actor;

namespace Eeg.Pipeline.Control;

/// <summary>Where a node's agent lives, so the gateway finds it on every member of the cluster.</summary>
public static class NodeAgent
{
    /// <summary>The agent's name under /user.</summary>
    public const string Name = "node-agent";

    /// <summary>Address shown for a node that runs every role in one process without a cluster.</summary>
    public const string LocalAddress = "local";

    /// <summary>Starts the agent of this node.</summary>
    public static IActorRef Start(ActorSystem system, NodeAgentOptions options) =>
        system.ActorOf(NodeAgentActor.Props(options), Name);

    /// <summary>The agent of the node at <paramref name="address"/> (this node's own when null).</summary>
    public static ActorSelection At(ActorSystem system, Address? address) =>
        address is null
            ? system.ActorSelection("/user/" + Name)
            : system.ActorSelection(new RootActorPath(address) / "user" / Name);

    /// <summary>True when the system runs with the cluster provider.</summary>
    public static bool IsClustered(ActorSystem system) =>
        system.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal);
}
