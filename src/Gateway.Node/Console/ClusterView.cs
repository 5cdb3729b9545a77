using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Eeg.Gateway.ClusterConsole;

/// <summary>
/// One snapshot of the lab as Spectre.Console tables: warnings first, then nodes, pipelines, sinks
/// and stages, remote sinks and recordings. Red marks data being lost or a failed part, yellow what
/// needs a look; every warning is also a line of text, so a plain (redirected) output says it too.
/// </summary>
public static class ClusterView
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The whole view; <paramref name="source"/> names the gateway in the header.</summary>
    public static IRenderable Render(ClusterSnapshot snapshot, SnapshotRates rates, string source, bool plain, string? error = null)
    {
        TableBorder border = plain ? TableBorder.Ascii : TableBorder.Rounded;
        snapshot = snapshot with { Nodes = InLabOrder(snapshot.Nodes) };
        var parts = new List<IRenderable>
        {
            new Markup($"[bold]EEG lab[/] at {Esc(source)} · {snapshot.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv)} UTC · {snapshot.Nodes.Count} node(s)"
                + (plain ? "" : " · [grey]q or Ctrl+C quits[/]")),
        };
        if (error is not null) parts.Add(new Markup($"[red]! {Esc(error)}[/]"));
        IReadOnlyList<ClusterWarning> warnings = ClusterWarnings.For(snapshot, rates);
        foreach (ClusterWarning w in warnings) parts.Add(new Markup($"[{(w.Level == WarningLevel.Loss ? "red" : "yellow")}]! {Esc(w.Text)}[/]"));
        if (warnings.Count == 0 && error is null) parts.Add(new Markup("[green]no data lost, nothing failed[/]"));

        parts.Add(Nodes(snapshot, border));
        if (snapshot.Nodes.Any(n => n.Pipeline is not null)) parts.Add(Pipelines(snapshot, rates, border));
        if (snapshot.Nodes.Any(n => n.Sinks.Count > 0)) parts.Add(Sinks(snapshot, rates, border));
        if (snapshot.Nodes.Any(n => n.RemoteSinks.Count > 0)) parts.Add(RemoteSinks(snapshot, border));
        if (snapshot.Nodes.Any(n => n.Recordings.Count > 0)) parts.Add(Recordings(snapshot, border));
        return new Rows(parts);
    }

    /// <summary>The view as plain text (no colour, no cursor moves), <paramref name="width"/> columns wide.</summary>
    public static string RenderText(ClusterSnapshot snapshot, SnapshotRates rates, string source, int width = 200, string? error = null)
    {
        var writer = new StringWriter(Inv);
        IAnsiConsole console = PlainConsole(writer, width);
        console.Write(Render(snapshot, rates, source, plain: true, error));
        return writer.ToString();
    }

    /// <summary>A console that writes plain text: no ANSI sequences, no colours, fixed width.</summary>
    public static IAnsiConsole PlainConsole(TextWriter writer, int width)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        return console;
    }

    /// <summary>Acquisition, processing, gateway, then the rest, each by address: the order the gateway lists them in varies.</summary>
    public static IReadOnlyList<NodeReport> InLabOrder(IEnumerable<NodeReport> nodes) =>
        nodes.OrderBy(n => n.Roles.Count == 0 ? 3 : n.Roles.Min(r => r switch { "acquisition" => 0, "processing" => 1, "gateway" => 2, _ => 3 }))
            .ThenBy(n => n.Address, StringComparer.Ordinal)
            .ToArray();

    public static IRenderable Nodes(IEnumerable<NodeReport> nodes, TableBorder border)
    {
        Table t = NewTable("Nodes", border, "node", "roles", "state", "uptime", "clock offset", "memory", "GC heap", "GC 0/1/2");
        foreach (NodeReport n in InLabOrder(nodes))
        {
            string state = n.Reachable ? n.State : n.State + ", unreachable";
            string stateCell = !n.Reachable || !n.Answered ? Red(n.Answered ? state : state + ", no answer") : n.State == "Up" ? Esc(state) : Yellow(state);
            if (!n.Answered)
            {
                t.AddRow(Esc(n.Address), Esc(string.Join(",", n.Roles)), stateCell, Red(n.Error ?? "did not answer"), "", "", "", "");
                continue;
            }
            string clock = n.ClockOffsetMicros is { } o
                ? $"{o.ToString("+0.0;-0.0;0", Inv)} µs" + (n.ClockRoundTripMicros is { } rtt ? $" (rtt {rtt.ToString("0", Inv)})" : "")
                : "not measured";
            string gc = n.Gc is { } g ? $"{g.Gen0}/{g.Gen1}/{g.Gen2}" : "-";
            t.AddRow(Esc(n.Address), Esc(string.Join(",", n.Roles)), stateCell, Duration(n.UptimeSeconds), Esc(clock), Bytes(n.MemoryBytes), Bytes(n.GcHeapBytes), gc);
        }
        return t;
    }

    private static IRenderable Nodes(ClusterSnapshot snapshot, TableBorder border) => Nodes(snapshot.Nodes, border);

    private static IRenderable Pipelines(ClusterSnapshot snapshot, SnapshotRates rates, TableBorder border)
    {
        Table t = NewTable("Pipeline", border, "node", "source", "channels", "samples/s", "samples", "overruns", "corrupt", "latency p50/p99", "impedance", "filters");
        foreach (NodeReport n in snapshot.Nodes)
        {
            if (n.Pipeline is not { } p) continue;
            double? rate = rates.SamplesPerSecond(n.Address);
            string rateCell = rate is { } r ? Num(r) + $" / {Num(p.SampleRate)}" : $"- / {Num(p.SampleRate)}";
            if (rate is { } r2 && r2 < p.SampleRate * 0.9) rateCell = Yellow(rateCell);
            string overruns = rates.OverrunsPerSecond(n.Address) > 0 ? Red($"{p.Overruns} (+{Num(rates.OverrunsPerSecond(n.Address)!.Value)}/s)")
                : p.Overruns > 0 ? Yellow(p.Overruns.ToString(Inv)) : "0";
            string corrupt = rates.CorruptFramesPerSecond(n.Address) > 0 ? Yellow(p.CorruptFrames.ToString(Inv)) : p.CorruptFrames.ToString(Inv);
            string latency = p.LatencyMicros is { } l ? $"{Num(l.P50)}/{Num(l.P99)} µs" : "-";
            t.AddRow(Esc(n.Address), Esc(p.Source), p.Channels.ToString(Inv), rateCell, p.Samples.ToString("N0", Inv), overruns, corrupt, latency,
                p.ImpedanceCheck ? Yellow("on") : "off", Esc(Filters(p.Filters)));
        }
        return t;
    }

    private static IRenderable Sinks(ClusterSnapshot snapshot, SnapshotRates rates, TableBorder border)
    {
        Table t = NewTable("Sinks and stages", border, "node", "name", "kind", "policy", "depth", "enqueued", "delivered", "dropped", "drops/s", "blocked", "restarts", "state");
        foreach (NodeReport n in snapshot.Nodes)
        {
            foreach (SinkReport s in n.Sinks)
            {
                double? dropRate = rates.DropsPerSecond(n.Address, s.Name);
                string dropped = s.Dropped.ToString("N0", Inv);
                if (s.Lossless && s.Dropped > 0) dropped = Red(dropped + " LOST");
                else if (dropRate > 0) dropped = Yellow(dropped);
                string drops = dropRate is { } d ? (d > 0 ? (s.Lossless ? Red(Num(d)) : Yellow(Num(d))) : "0") : "-";
                string state = s.Failed ? Red("FAILED" + (s.FailureReason is { Length: > 0 } r ? ": " + r : ""))
                    : s.Running ? "running" : Yellow("stopped");
                t.AddRow(Esc(n.Address), Esc(s.Name), Esc(s.Kind), Esc(s.Policy), $"{s.Depth}/{s.Capacity}", s.Enqueued.ToString("N0", Inv),
                    s.Delivered.ToString("N0", Inv), dropped, drops, $"{s.BlockedSeconds.ToString("0.0", Inv)} s",
                    s.Restarts > 0 ? Yellow(s.Restarts.ToString(Inv)) : "0", state);
            }
        }
        return t;
    }

    private static IRenderable RemoteSinks(ClusterSnapshot snapshot, TableBorder border)
    {
        Table t = NewTable("Remote sinks (sending side)", border, "node", "name", "policy", "consumer", "credit", "in flight", "in memory", "spooled", "sent", "dropped", "lost samples");
        foreach (NodeReport n in snapshot.Nodes)
        {
            foreach (RemoteSinkReport r in n.RemoteSinks)
            {
                bool lost = r.DroppedFrames > 0 || r.LostSamples > 0;
                string dropped = r.DroppedFrames.ToString("N0", Inv);
                if (lost) dropped = r.Lossless ? Red(dropped) : Yellow(dropped);
                t.AddRow(Esc(n.Address), Esc(r.Name), r.Lossless ? "lossless" : "lossy", r.Consumer is null ? Yellow("none") : Esc(r.Consumer),
                    r.Credit.ToString(Inv), r.InFlight.ToString(Inv), r.InMemory.ToString(Inv),
                    r.SpooledFrames > 0 ? Yellow($"{r.SpooledFrames} frames, {Bytes(r.SpoolBytes)}") : "0",
                    r.FramesSent.ToString("N0", Inv), dropped, r.LostSamples > 0 && r.Lossless ? Red(r.LostSamples.ToString("N0", Inv)) : r.LostSamples.ToString("N0", Inv));
            }
        }
        return t;
    }

    private static IRenderable Recordings(ClusterSnapshot snapshot, TableBorder border)
    {
        Table t = NewTable("Recordings", border, "node", "file", "duration", "size", "gaps", "state");
        foreach (NodeReport n in snapshot.Nodes)
        {
            foreach (RecordingReport r in n.Recordings)
            {
                string files = r.Files.Count > 0 ? string.Join(", ", r.Files) : r.Name;
                string state = r.State.ToLowerInvariant() switch
                {
                    "failed" => Red("FAILED" + (r.FailureReason is { Length: > 0 } why ? ": " + why : "")),
                    "recording" => "[bold]recording[/]",
                    _ => Esc(r.State),
                };
                t.AddRow(Esc(n.Address), Esc(files), Duration(r.DurationSeconds), Bytes(r.SizeBytes),
                    r.GapSamples > 0 ? Yellow($"{r.GapSamples} samples") : "0", state);
            }
        }
        return t;
    }

    private static Table NewTable(string title, TableBorder border, params string[] columns)
    {
        var t = new Table { Border = border, Title = new TableTitle(title, new Style(decoration: Decoration.Bold)) };
        foreach (string c in columns) t.AddColumn(new TableColumn(c));
        return t;
    }

    internal static string Filters(FilterReport? f)
    {
        if (f is null) return "-";
        static string Hz(double? v) => v is > 0 ? v.Value.ToString("0.###", Inv) + " Hz" : "off";
        return $"hp {Hz(f.HighpassHz)}, lp {Hz(f.LowpassHz)}, notch {Hz(f.NotchHz)}";
    }

    internal static string Num(double v) => v >= 100 ? v.ToString("N0", Inv) : v.ToString("0.#", Inv);

    internal static string Bytes(long n) => n switch
    {
        >= 1L << 30 => (n / (double)(1L << 30)).ToString("0.00", Inv) + " GB",
        >= 1L << 20 => (n / (double)(1L << 20)).ToString("0.0", Inv) + " MB",
        _ => (n / 1024.0).ToString("0", Inv) + " kB",
    };

    internal static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m{t.Seconds:00}s"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:00}s"
            : seconds.ToString("0.0", Inv) + " s";
    }

    private static string Esc(string text) => Markup.Escape(text);
    private static string Red(string text) => $"[red]{Esc(text)}[/]";
    private static string Yellow(string text) => $"[yellow]{Esc(text)}[/]";
}
