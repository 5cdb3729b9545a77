using Akka.Actor;
using Eeg.Gateway.Control;

namespace Eeg.Gateway.Recording;

/// <summary>
/// Where the recording endpoints send their messages: the recorder attached in this process (the
/// all-in-one node), else the agent of the node whose report lists a recorder (the processing node
/// of a lab), which passes them on. The node found is remembered until a call to it fails.
/// </summary>
public sealed class RecorderRoute(RecorderLink link, ClusterView view)
{
    /// <summary>Why no recorder answers (the all-in-one node with recorder.enabled = off, or a lab without a processing node).</summary>
    public const string NoRecorder = "no node runs a recorder (recorder.enabled = off, or the processing node is not up yet)";

    private volatile string? _agent;

    /// <summary>The recorder (or the agent in front of it), or the reason there is none.</summary>
    public async Task<(ICanTell? Target, string Reason)> FindAsync(CancellationToken ct)
    {
        if (link.Recorder is { } recorder) return (recorder, "");
        if (_agent is { } known) return (view.AgentOf(known), "");
        IReadOnlyList<ClusterNode> nodes = await view.SnapshotAsync(ct).ConfigureAwait(false);
        ClusterNode? node = nodes.FirstOrDefault(n => n.Report?.HasRecorder == true);
        if (node is null) return (null, NoRecorder);
        _agent = node.Address;
        return (view.AgentOf(node.Address), "");
    }

    /// <summary>Forgets the node found (it did not answer, or runs no recorder any more).</summary>
    public void Forget() => _agent = null;
}
