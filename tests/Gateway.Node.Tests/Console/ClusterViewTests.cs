using Eeg.Gateway.ClusterConsole;

namespace Eeg.Tests.Gateway.Node.Console;

public class ClusterViewTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    private static string Render(string json, string? previous = null)
    {
        ClusterSnapshot current = SnapshotRatesTests.Snapshot(json);
        SnapshotRates rates = previous is null ? SnapshotRates.None : SnapshotRates.Between(SnapshotRatesTests.Snapshot(previous), current);
        return ClusterView.RenderText(current, rates, "http://127.0.0.1:5080/");
    }

    private static string[] WarningLines(string text) => text.Split('\n').Where(l => l.StartsWith("! ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void A_healthy_lab_shows_every_node_its_pipeline_sinks_remote_sinks_and_recordings_and_no_warning()
    {
        string text = Render(ContractSamples.Cluster(T0.AddSeconds(1), samples: 404_000), ContractSamples.Cluster(T0, samples: 400_000));

        Assert.Empty(WarningLines(text));
        Assert.Contains("no data lost, nothing failed", text);
        foreach (string node in new[] { ContractSamples.Acquisition, ContractSamples.Processing, ContractSamples.Gateway }) Assert.Contains(node, text);
        Assert.Contains("simulated eeg", text);
        Assert.Contains("4,000 / 4,000", text);          // samples/s from the two snapshots, of the nominal rate
        Assert.Contains("180/950 µs", text);             // latency p50/p99
        Assert.Contains("+12.5 µs (rtt 310)", text);     // clock offset of the processing node
        Assert.Contains("117.7 MB", text);               // memory of the acquisition node
        Assert.Contains("11/4/1", text);                 // GC counts
        Assert.Contains("hp 0.5 Hz, lp 100 Hz, notch 50 Hz", text);
        Assert.Contains("/data/recordings/S01_1_20261127T120000Z.bdf", text);
        Assert.Contains("1m02s", text);                  // the recording's duration
        Assert.Contains("akka.tcp://eeg@127.0.0.1:4054/user/recorder-consumer", text);
        Assert.DoesNotContain("\u001b[", text);          // plain text: no ANSI sequences
    }

    [Fact]
    public void Drops_on_a_lossless_sink_are_a_warning_and_marked_lost_in_the_table()
    {
        string text = Render(ContractSamples.Cluster(T0, recorderDropped: 3));

        string warning = Assert.Single(WarningLines(text));
        Assert.Equal($"! lossless recorder on {ContractSamples.Processing} dropped 3 frames", warning.TrimEnd());
        Assert.Contains("3 LOST", text);
    }

    [Fact]
    public void Drops_on_a_lossy_stage_warn_only_while_they_rise()
    {
        string steady = Render(ContractSamples.Cluster(T0.AddSeconds(1), alphaDropped: 50), ContractSamples.Cluster(T0, alphaDropped: 50));
        string rising = Render(ContractSamples.Cluster(T0.AddSeconds(2), alphaDropped: 90), ContractSamples.Cluster(T0, alphaDropped: 50));

        Assert.Empty(WarningLines(steady));
        Assert.Equal($"! stage alpha on {ContractSamples.Processing} drops 20 frames/s (drop-oldest)", Assert.Single(WarningLines(rising)).TrimEnd());
    }

    [Fact]
    public void Rising_overruns_an_unreachable_node_a_node_that_did_not_answer_a_failed_stage_and_a_failed_recording_are_all_warnings()
    {
        string text = Render(
            ContractSamples.Cluster(T0.AddSeconds(1), overruns: 12, processingReachable: false, gatewayAnswered: false, alphaFailed: true, recordingState: "failed"),
            ContractSamples.Cluster(T0, overruns: 2));

        string[] warnings = WarningLines(text).Select(l => l.TrimEnd()).ToArray();
        Assert.Contains($"! overruns rising on {ContractSamples.Acquisition}: 10/s (12 in all): samples are lost at the source", warnings);
        Assert.Contains($"! node {ContractSamples.Processing} is unreachable (Up)", warnings);
        Assert.Contains($"! node {ContractSamples.Gateway} did not answer: no answer within 2 s", warnings);
        Assert.Contains($"! stage alpha on {ContractSamples.Processing} FAILED: NaN in the band power", warnings);
        Assert.Contains($"! recording S01_1_20261127T120000Z on {ContractSamples.Processing} FAILED: disk full", warnings);
        Assert.Equal(5, warnings.Length);
        Assert.Contains("Up, unreachable", text);
    }

    [Fact]
    public void Overruns_that_stopped_rising_are_a_yellow_note_rather_than_a_loss()
    {
        IReadOnlyList<ClusterWarning> warnings = ClusterWarnings.For(
            SnapshotRatesTests.Snapshot(ContractSamples.Cluster(T0.AddSeconds(1), overruns: 12)),
            SnapshotRates.Between(SnapshotRatesTests.Snapshot(ContractSamples.Cluster(T0, overruns: 12)), SnapshotRatesTests.Snapshot(ContractSamples.Cluster(T0.AddSeconds(1), overruns: 12))));

        ClusterWarning only = Assert.Single(warnings);
        Assert.Equal(WarningLevel.Attention, only.Level);
        Assert.Equal($"12 overruns on {ContractSamples.Acquisition} since it started", only.Text);
    }

    [Fact]
    public void Nodes_are_listed_acquisition_first_then_processing_then_gateway_whatever_order_the_gateway_sent()
    {
        ClusterSnapshot snapshot = SnapshotRatesTests.Snapshot(ContractSamples.Cluster(T0));
        ClusterSnapshot shuffled = snapshot with { Nodes = [snapshot.Nodes[2], snapshot.Nodes[0], snapshot.Nodes[1]] };

        string text = ClusterView.RenderText(shuffled, SnapshotRates.None, "http://127.0.0.1:5080/");

        int acquisition = text.IndexOf("| " + ContractSamples.Acquisition, StringComparison.Ordinal);
        int processing = text.IndexOf("| " + ContractSamples.Processing, StringComparison.Ordinal);
        int gateway = text.IndexOf("| " + ContractSamples.Gateway, StringComparison.Ordinal);
        Assert.True(acquisition >= 0 && acquisition < processing && processing < gateway, text);
    }
}
