using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Eeg.Gateway.ClusterConsole;

/// <summary>
/// The console's one-shot commands for scripts: each makes one API call and prints one short line
/// (or the table of status/nodes); with --json, the API's JSON answer exactly as it came.
/// </summary>
public static class Subcommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(ConsoleArguments a, LabApiClient client, ConsoleIo io, CancellationToken ct)
    {
        Call call = a.Verb switch
        {
            "status" => new Call(client.GetAsync("api/cluster", ct), ans => Table(ans.As<ClusterSnapshot>(), client, io)),
            "nodes" => new Call(client.GetAsync("api/nodes", ct), ans => Nodes(ans.As<NodeList>(), io)),
            "record" when a.Words[0] == "start" => new Call(client.PostAsync("api/recordings/start", new { subject = a.Subject, session = a.Session }, ct),
                ans => Recording("recording started", ans)),
            "record" => new Call(client.PostAsync("api/recordings/stop", null, ct), ans => Recording("recording stopped", ans)),
            "marker" => new Call(client.PostAsync("api/recordings/marker", new { text = string.Join(' ', a.Words) }, ct),
                _ => $"marker added: {string.Join(' ', a.Words)}"),
            "stage" => new Call(client.PostAsync($"api/stages/{Uri.EscapeDataString(a.Words[1])}/{a.Words[0]}", null, ct), ans => Stage(a.Words[0], ans)),
            "impedance" => new Call(client.PostAsync("api/impedance", new { on = a.Words[0] == "on" }, ct),
                ans => "impedance check " + (Bool(ans.Document(), "impedanceCheck") ?? a.Words[0] == "on" ? "on" : "off")),
            "filters" when a.HighpassHz is null && a.LowpassHz is null && a.NotchHz is null =>
                new Call(client.GetAsync("api/cluster", ct), ans => CurrentFilters(ans.As<ClusterSnapshot>())),
            "filters" => new Call(client.PostAsync("api/filters", new FilterChange(a.HighpassHz, a.LowpassHz, a.NotchHz), ct),
                ans => "filters now: " + ClusterView.Filters(ans.As<FilterReport>())),
            "leave" => new Call(client.PostAsync("api/nodes/leave", new { address = a.Words[0] }, ct),
                ans => $"node {Str(ans.Document(), "address") ?? a.Words[0]} is {Str(ans.Document(), "state") ?? "leaving"}"),
            _ => throw new InvalidOperationException("unhandled verb " + a.Verb),
        };
        ApiAnswer answer = await call.Answer.ConfigureAwait(false);
        await io.Out.WriteLineAsync(a.Json ? answer.Body : call.Describe(answer)).ConfigureAwait(false);
        return 0;
    }

    private sealed record Call(Task<ApiAnswer> Answer, Func<ApiAnswer, string> Describe);

    // Absent keys stay unchanged on the gateway: only the given ones are sent.
    private sealed record FilterChange(
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? HighpassHz,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? LowpassHz,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? NotchHz);

    private static string Table(ClusterSnapshot snapshot, LabApiClient client, ConsoleIo io) =>
        Render(io, console => console.Write(ClusterView.Render(snapshot, SnapshotRates.None, client.BaseAddress.ToString(), plain: !io.Interactive)));

    private static string Nodes(NodeList nodes, ConsoleIo io) =>
        Render(io, console => console.Write(ClusterView.Nodes(nodes.Nodes, io.Interactive ? TableBorder.Rounded : TableBorder.Ascii)));

    // On a terminal: colours through Spectre's own console, nothing returned; otherwise plain text.
    private static string Render(ConsoleIo io, Action<IAnsiConsole> write)
    {
        if (io.Interactive && ReferenceEquals(io.Out, System.Console.Out))
        {
            write(AnsiConsole.Console);
            return "";
        }
        var text = new StringWriter(Inv);
        write(ClusterView.PlainConsole(text, io.Width));
        return text.ToString().TrimEnd('\n', '\r');
    }

    private static string Recording(string what, ApiAnswer answer)
    {
        RecordingReport r = answer.As<RecordingReport>();
        string files = r.Files.Count > 0 ? string.Join(", ", r.Files) : r.Name;
        return $"{what}: {files} ({r.State}, {ClusterView.Duration(r.DurationSeconds)}, {ClusterView.Bytes(r.SizeBytes)})";
    }

    private static string Stage(string action, ApiAnswer answer)
    {
        JsonElement doc = answer.Document();
        string stage = Str(doc, "stage") ?? "?";
        string node = Str(doc, "node") ?? "?";
        return action switch
        {
            "restart" => $"stage {stage} on {node} restarted (restarts: {(doc.TryGetProperty("restarts", out JsonElement n) ? n.ToString() : "?")})",
            _ => $"stage {stage} on {node} is {(Bool(doc, "running") == true ? "running" : "stopped")}",
        };
    }

    private static string CurrentFilters(ClusterSnapshot snapshot)
    {
        NodeReport? node = snapshot.Nodes.FirstOrDefault(n => n.Pipeline is not null);
        return node is null ? "no acquisition node answered, so no filters are known" : $"filters on {node.Address}: {ClusterView.Filters(node.Pipeline!.Filters)}";
    }

    private static string? Str(JsonElement doc, string name) =>
        doc.ValueKind == JsonValueKind.Object && doc.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static bool? Bool(JsonElement doc, string name) =>
        doc.ValueKind == JsonValueKind.Object && doc.TryGetProperty(name, out JsonElement e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null;
}
