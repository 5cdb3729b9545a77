using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Remote;
using Eeg.Shared.Frames;

namespace Eeg.Tests.MultiNode.RemoteSinks;

/// <summary>The remote sink protocol between two actor systems over Akka.Remote on loopback.</summary>
[Collection("remote")]
public sealed class RemoteSinkProtocolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static RemoteSinkOptions Lossless(string spool) => new()
    {
        Name = TwoNodes.SinkName,
        Policy = SinkPolicy.Lossless,
        MaxBatchSamples = 40,
        MemoryBatches = 4,
        SpoolDirectory = spool,
    };

    [Fact]
    public async Task Frames_arrive_at_the_consumers_local_sink_contiguous_and_intact()
    {
        string spool = Directory.CreateTempSubdirectory("spool").FullName;
        await using var nodes = new TwoNodes(Lossless(spool), new RemoteConsumerOptions { SinkName = TwoNodes.SinkName, Lossless = true });

        nodes.Feed(4000);

        Assert.True(await nodes.SeenThroughAsync(3999, Patience), nodes.Describe());
        SeenFrame[] seen = nodes.Seen.ToArray();
        Assert.Equal(Enumerable.Range(0, 4000).Select(i => (long)i), seen.Select(f => f.FirstSampleIndex));
        Assert.All(seen, f => Assert.True(f.SamplesIntact && f.Flags == FrameFlags.None && f.GapSamples == 0));
        Assert.True(await TwoNodes.EventuallyAsync(() => nodes.Remote.InFlight == 0 && nodes.Remote.InMemory == 0, Patience));
        Assert.Equal(0, nodes.Remote.LostSamples);
        Console.WriteLine(nodes.Describe());
        Assert.True(nodes.Remote.FramesSent >= 4000, nodes.Describe());
    }

    [Fact]
    public async Task A_lossless_sink_spools_while_the_consumer_stalls_and_loses_nothing_after_it_resumes()
    {
        string spool = Directory.CreateTempSubdirectory("spool").FullName;
        await using var nodes = new TwoNodes(Lossless(spool), new RemoteConsumerOptions { SinkName = TwoNodes.SinkName, Lossless = true, Window = 4 });
        nodes.Feed(40);
        Assert.True(await nodes.SeenThroughAsync(39, Patience));

        nodes.Gate.Reset();
        nodes.Feed(6000);
        Assert.True(await TwoNodes.EventuallyAsync(() => nodes.Remote.SpooledBatches > 0, Patience), "the spool was never used");
        long spooledAtStall = nodes.Remote.SpooledFrames;
        Assert.Equal(0, nodes.Remote.Credit);
        nodes.Gate.Set();

        Assert.True(await nodes.SeenThroughAsync(6039, Patience), nodes.Describe());
        SeenFrame[] seen = nodes.Seen.ToArray();
        Assert.Equal(Enumerable.Range(0, 6040).Select(i => (long)i), seen.Select(f => f.FirstSampleIndex));
        Assert.All(seen, f => Assert.True(f.SamplesIntact && (f.Flags & FrameFlags.Gap) == 0));
        Assert.True(spooledAtStall > 0);
        Assert.True(await TwoNodes.EventuallyAsync(() => nodes.Remote.SpooledBatches == 0 && nodes.Remote.InFlight == 0, Patience));
        Assert.Equal(0, nodes.Remote.DroppedFrames);
        Assert.Equal(0, nodes.Remote.SpoolBytes);
    }

    [Theory]
    [InlineData(SinkPolicy.DropOldest)]
    [InlineData(SinkPolicy.DropNewest)]
    public async Task A_lossy_sink_drops_on_the_sending_side_while_the_consumer_stalls_and_every_drop_is_a_counted_annotated_gap(SinkPolicy policy)
    {
        var options = new RemoteSinkOptions { Name = TwoNodes.SinkName, Policy = policy, MaxBatchSamples = 40, PendingBatches = 2 };
        await using var nodes = new TwoNodes(options, new RemoteConsumerOptions { SinkName = TwoNodes.SinkName, Window = 2 }, sinkCapacity: 4);
        nodes.Feed(40);
        Assert.True(await nodes.SeenThroughAsync(39, Patience));

        nodes.Gate.Reset();
        nodes.Feed(4000);
        Assert.True(await TwoNodes.EventuallyAsync(() => nodes.Remote.DroppedFrames > 0, Patience), "nothing was dropped while the consumer stalled");
        nodes.Gate.Set();
        // After the stall, one batch at a time once the previous one is acknowledged: nothing more is
        // dropped, so every drop counted happened before the last frame the sink sees.
        long last = nodes.NextIndex + 399;
        for (int i = 0; i < 10; i++)
        {
            Assert.True(await TwoNodes.EventuallyAsync(() => nodes.Remote.InMemory == 0 && nodes.Remote.InFlight == 0 && nodes.Remote.Credit > 0, Patience), nodes.Describe());
            nodes.Feed(40);
        }
        Assert.True(await nodes.SeenThroughAsync(last, Patience), $"the local sink never saw frame {last}: {nodes.Describe()}");

        SeenFrame[] seen = nodes.Seen.ToArray();
        long expected = 0, gaps = 0;
        foreach (SeenFrame frame in seen)
        {
            Assert.True(frame.SamplesIntact);
            long jump = frame.FirstSampleIndex - expected;
            Assert.True(jump >= 0, $"frame {frame.FirstSampleIndex} came after {expected - 1}");
            if (jump > 0)
            {
                Assert.True((frame.Flags & FrameFlags.Gap) != 0, $"frame {frame.FirstSampleIndex} follows a silent gap of {jump}");
                Assert.Equal(jump, frame.GapSamples);
                gaps += jump;
            }
            expected = frame.FirstSampleIndex + frame.SampleCount;
        }
        Assert.Equal(last + 1, expected);
        Assert.Equal(nodes.Remote.LostSamples, gaps);
        Assert.Equal(nodes.Remote.DroppedFrames, gaps);
        Assert.Equal(last + 1, seen.Length + gaps);
    }
}
