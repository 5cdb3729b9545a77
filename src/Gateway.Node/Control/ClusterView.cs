using Akka.Actor;
using Akka.Cluster;
using Eeg.Pipeline.Control;
using Eeg.Shared.Control;

namespace Eeg.Gateway.Control;

/// <summary>
/// The gateway's view of the lab: every member of the cluster with its agent's report, asked in
/// parallel with a time limit, so one node that hangs costs a snapshot 2 s, not the console's view.
/// A node that runs every role in one process without a cluster is the one node "local".
/// </summary>
public sealed class ClusterView(ActorSystem system)
{
    /// <summary>How long a node's agent has to answer.</summary>
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(2);

    public ActorSystem System { get; } = system;

    /// <summary>Every node, ordered by address.</summary>
    public async Task<IReadOnlyList<ClusterNode>> SnapshotAsync(CancellationToken ct)
    {
        if (!NodeAgent.IsClustered(System))
        {
            NodeReport? local = null;
            string? error = null;
            try
            {
                local = await NodeAgent.At(System, null).Ask<NodeReport>(GetNodeReport.Instance, AgentTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                error = $"the node agent did not answer within {AgentTimeout.TotalSeconds:0} s";
            }
            return [local is null
                ? ClusterNode.NotAnswered(NodeAgent.LocalAddress, [], "Up", true, error!)
                : ClusterNode.From(NodeAgent.LocalAddress, local.Roles, "Up", true, local)];
        }

        ClusterEvent.CurrentClusterState state = Akka.Cluster.Cluster.Get(System).State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        Task<ClusterNode>[] asks = state.Members
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => AskMemberAsync(m, !unreachable.Contains(m.UniqueAddress), ct))
            .ToArray();
        return await Task.WhenAll(asks).ConfigureAwait(false);
    }

    /// <summary>The agent of the node at <paramref name="address"/> ("local" for the one-process node).</summary>
    public ActorSelection AgentOf(string address) =>
        NodeAgent.At(System, address == NodeAgent.LocalAddress ? null : Address.Parse(address));

    private async Task<ClusterNode> AskMemberAsync(Member member, bool reachable, CancellationToken ct)
    {
        string address = member.Address.ToString();
        // Akka adds a data-center role ("dc-default") to every member: not one of ours.
        string[] roles = member.Roles.Where(r => !r.StartsWith("dc-", StringComparison.Ordinal)).OrderBy(r => r, StringComparer.Ordinal).ToArray();
        string status = member.Status.ToString();
        if (!reachable) return ClusterNode.NotAnswered(address, roles, status, false, "the node is unreachable (the failure detector lost it)");
        if (member.Status is MemberStatus.Down or MemberStatus.Removed) return ClusterNode.NotAnswered(address, roles, status, true, $"the node is {status}");
        try
        {
            NodeReport report = await NodeAgent.At(System, member.Address).Ask<NodeReport>(GetNodeReport.Instance, AgentTimeout, ct).ConfigureAwait(false);
            return ClusterNode.From(address, roles, status, true, report);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ClusterNode.NotAnswered(address, roles, status, true, $"its node agent did not answer within {AgentTimeout.TotalSeconds:0} s");
        }
    }
}
