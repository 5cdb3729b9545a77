namespace Eeg.Shared.Control;

/// <summary>Asks a node's agent to make its node leave the cluster gracefully (Cluster.Leave). Answered with <see cref="LeavingCluster"/>.</summary>
public sealed record LeaveCluster
{
    public static LeaveCluster Instance { get; } = new();
    private LeaveCluster() { }
}

/// <summary>The node at <paramref name="Address"/> is leaving.</summary>
public sealed record LeavingCluster(string Address, string State);
