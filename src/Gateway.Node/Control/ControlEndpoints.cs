using Akka.Actor;
using Eeg.Pipeline.Control;
using Eeg.Shared.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Eeg.Gateway.Control;

/// <summary>
/// The cluster console's HTTP API (docs/api.md): <c>GET /api/cluster</c> and <c>GET /api/nodes</c>
/// (open), and the control calls (POST, control token required) that the gateway routes to the
/// agent of the node that owns the thing: stages, impedance check, filters, leaving the cluster.
/// </summary>
public static class ControlEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private sealed record ImpedanceBody(bool? On);
    private sealed record FiltersBody(double? HighpassHz, double? LowpassHz, double? NotchHz);
    private sealed record LeaveBody(string? Address);

    public static void Map(WebApplication app, ClusterView view, ControlToken token)
    {
        app.MapGet("/api/cluster", (Delegate)(async (HttpContext context) =>
        {
            IReadOnlyList<ClusterNode> nodes = await view.SnapshotAsync(context.RequestAborted);
            return Results.Json(new { time = DateTime.UtcNow, nodes }, ControlAnswers.Json);
        }));
        app.MapGet("/api/nodes", (Delegate)(async (HttpContext context) =>
        {
            IReadOnlyList<ClusterNode> nodes = await view.SnapshotAsync(context.RequestAborted);
            return Results.Json(new { time = DateTime.UtcNow, nodes = nodes.Select(n => n.Summary()) }, ControlAnswers.Json);
        }));

        foreach ((string action, StageAction what) in new[] { ("restart", StageAction.Restart), ("stop", StageAction.Stop), ("start", StageAction.Start) })
        {
            app.MapPost("/api/stages/{name}/" + action, (Delegate)(async (HttpContext context, string name) =>
            {
                IReadOnlyList<ClusterNode> nodes = await view.SnapshotAsync(context.RequestAborted);
                ClusterNode? node = nodes.FirstOrDefault(n => n.Sinks.Any(s => s.Kind == SinkKinds.Stage && s.Name == name));
                if (node is null)
                {
                    string known = string.Join(", ", nodes.SelectMany(n => n.Sinks).Where(s => s.Kind == SinkKinds.Stage).Select(s => s.Name).Distinct());
                    return ControlAnswers.Error(StatusCodes.Status404NotFound, $"no stage '{name}' runs in the lab (stages: {(known.Length == 0 ? "none" : known)}{Unanswered(nodes)})");
                }
                return await ControlAnswers.AskAsync(view.AgentOf(node.Address), new StageCommand(name, what), AskTimeout, $"the agent of {node.Address}", context.RequestAborted);
            })).RequireControlToken(token);
        }

        app.MapPost("/api/impedance", (Delegate)(async (HttpContext context) =>
        {
            ImpedanceBody? body = await ControlAnswers.ReadBody<ImpedanceBody>(context);
            if (body?.On is not { } on) return ControlAnswers.Error(StatusCodes.Status400BadRequest, "the body must be {\"on\": true} or {\"on\": false}");
            return await ToAcquisitionAsync(view, new SwitchImpedanceCheck(on), context.RequestAborted);
        })).RequireControlToken(token);

        app.MapPost("/api/filters", (Delegate)(async (HttpContext context) =>
        {
            FiltersBody? body = await ControlAnswers.ReadBody<FiltersBody>(context);
            if (body is null) return ControlAnswers.Error(StatusCodes.Status400BadRequest, "the body must be JSON with any of highpassHz, lowpassHz, notchHz (numbers in Hz; 0 turns that filter off)");
            return await ToAcquisitionAsync(view, new ChangeFilters(body.HighpassHz, body.LowpassHz, body.NotchHz), context.RequestAborted);
        })).RequireControlToken(token);

        app.MapPost("/api/nodes/leave", (Delegate)(async (HttpContext context) =>
        {
            LeaveBody? body = await ControlAnswers.ReadBody<LeaveBody>(context);
            if (string.IsNullOrWhiteSpace(body?.Address)) return ControlAnswers.Error(StatusCodes.Status400BadRequest, "the body must be {\"address\": \"akka.tcp://eeg@HOST:PORT\"}");
            return await LeaveAsync(view, body.Address.Trim(), context.RequestAborted);
        })).RequireControlToken(token);
    }

    private static async Task<IResult> ToAcquisitionAsync(ClusterView view, object message, CancellationToken ct)
    {
        IReadOnlyList<ClusterNode> nodes = await view.SnapshotAsync(ct);
        ClusterNode? node = nodes.FirstOrDefault(n => n.Pipeline is not null);
        if (node is null) return ControlAnswers.Error(StatusCodes.Status503ServiceUnavailable, "no acquisition node answered" + Unanswered(nodes));
        return await ControlAnswers.AskAsync(view.AgentOf(node.Address), message, AskTimeout, $"the acquisition node ({node.Address})", ct);
    }

    private static async Task<IResult> LeaveAsync(ClusterView view, string address, CancellationToken ct)
    {
        if (!NodeAgent.IsClustered(view.System))
        {
            return address == NodeAgent.LocalAddress
                ? ControlAnswers.Error(StatusCodes.Status409Conflict, "the local node runs every role in one process without a cluster: there is no cluster to leave")
                : ControlAnswers.Error(StatusCodes.Status404NotFound, $"no node {address}: this node runs without a cluster (its only node is \"local\")");
        }
        Akka.Cluster.Cluster cluster = Akka.Cluster.Cluster.Get(view.System);
        Akka.Cluster.Member? member = cluster.State.Members.FirstOrDefault(m => m.Address.ToString() == address);
        if (member is null) return ControlAnswers.Error(StatusCodes.Status404NotFound, $"no member {address} in the cluster");
        try
        {
            object answer = await view.AgentOf(address).Ask<object>(LeaveCluster.Instance, ClusterView.AgentTimeout, ct);
            return ControlAnswers.ToResult(answer);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The node does not answer (hung, or cut off): any member may ask the cluster to let it go.
            cluster.Leave(member.Address);
            return Results.Json(new { address, state = "Leaving" }, ControlAnswers.Json);
        }
    }

    private static string Unanswered(IReadOnlyList<ClusterNode> nodes)
    {
        string[] silent = nodes.Where(n => !n.Answered).Select(n => $"{n.Address}: {n.Error}").ToArray();
        return silent.Length == 0 ? "" : "; not answering: " + string.Join("; ", silent);
    }
}
