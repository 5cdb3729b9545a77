using System.Text.Json;
using Eeg.Gateway.ClusterConsole;

namespace Eeg.Tests.Gateway.Node.Console;

public class SnapshotRatesTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    internal static ClusterSnapshot Snapshot(string json) => JsonSerializer.Deserialize<ClusterSnapshot>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public void Samples_per_second_are_the_difference_over_the_snapshots_own_times()
    {
        ClusterSnapshot first = Snapshot(ContractSamples.Cluster(T0, samples: 400_000));
        // 2.5 s later by the gateway's clock, 10 000 samples more: 4000 samples/s.
        ClusterSnapshot second = Snapshot(ContractSamples.Cluster(T0.AddSeconds(2.5), samples: 410_000));

        SnapshotRates rates = SnapshotRates.Between(first, second);

        Assert.Equal(4000.0, rates.SamplesPerSecond(ContractSamples.Acquisition));
        Assert.Equal(0.0, rates.OverrunsPerSecond(ContractSamples.Acquisition));
        Assert.Null(rates.SamplesPerSecond(ContractSamples.Processing));
    }

    [Fact]
    public void Drops_per_second_are_per_sink_and_per_node()
    {
        ClusterSnapshot first = Snapshot(ContractSamples.Cluster(T0, alphaDropped: 10));
        ClusterSnapshot second = Snapshot(ContractSamples.Cluster(T0.AddSeconds(2), alphaDropped: 30, overruns: 6));

        SnapshotRates rates = SnapshotRates.Between(first, second);

        Assert.Equal(10.0, rates.DropsPerSecond(ContractSamples.Processing, "alpha"));
        Assert.Equal(0.0, rates.DropsPerSecond(ContractSamples.Processing, "recorder"));
        Assert.Null(rates.DropsPerSecond(ContractSamples.Acquisition, "alpha"));
        Assert.Equal(3.0, rates.OverrunsPerSecond(ContractSamples.Acquisition));
    }

    [Fact]
    public void A_counter_that_went_down_because_the_node_restarted_has_no_rate()
    {
        ClusterSnapshot before = Snapshot(ContractSamples.Cluster(T0, samples: 400_000));
        ClusterSnapshot restarted = Snapshot(ContractSamples.Cluster(T0.AddSeconds(1), samples: 4_000));

        Assert.Null(SnapshotRates.Between(before, restarted).SamplesPerSecond(ContractSamples.Acquisition));
    }

    [Fact]
    public void The_first_snapshot_and_a_snapshot_not_newer_than_the_last_have_no_rates()
    {
        ClusterSnapshot one = Snapshot(ContractSamples.Cluster(T0));

        Assert.Null(SnapshotRates.Between(null, one).SamplesPerSecond(ContractSamples.Acquisition));
        Assert.Null(SnapshotRates.Between(one, one).SamplesPerSecond(ContractSamples.Acquisition));
    }

    [Fact]
    public void A_node_that_did_not_answer_has_no_rates()
    {
        ClusterSnapshot first = Snapshot(ContractSamples.Cluster(T0));
        ClusterSnapshot second = Snapshot(ContractSamples.Cluster(T0.AddSeconds(1), gatewayAnswered: false));

        Assert.Null(SnapshotRates.Between(first, second).DropsPerSecond(ContractSamples.Gateway, "scope"));
    }
}
