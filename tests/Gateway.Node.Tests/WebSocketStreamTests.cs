using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Streaming;
using Eeg.Tests.Gateway.Node.Support;
using Xunit.Abstractions;

namespace Eeg.Tests.Gateway.Node;

/// <summary>The stream end to end: paced feeder -> scope sink actor -> hub -> Kestrel -> ClientWebSocket.</summary>
[Collection(GatewayIntegration.Name)]
public class WebSocketStreamTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly ITestOutputHelper _output;

    public WebSocketStreamTests(ITestOutputHelper output) : base(output: output) => _output = output;

    /// <summary>Waits for a condition by polling a test observer (never a data path) every 50 ms, up to a deadline.</summary>
    private static async Task<bool> Eventually(Func<bool> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > within) return false;
            await Task.Delay(50);
        }
        return true;
    }

    [Fact]
    public async Task A_client_receives_every_sample_of_32_channels_at_4000_SPS_with_contiguous_indices_and_exact_values()
    {
        await using GatewayHost host = await GatewayHost.StartAsync(Sys);
        await using StreamClient client = await StreamClient.ConnectAsync(host.BaseAddress);
        client.VerifyValuesAtRate = 4000;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        client.StartReading(cts.Token);
        host.Feeder.Start();

        Assert.True(await Eventually(() => client.Samples >= 12_000, TimeSpan.FromSeconds(30)), $"received {client.Samples} samples");
        await host.Feeder.StopAsync();
        long last = host.Feeder.NextIndex - 1;
        Assert.True(await Eventually(() => client.LastIndex == last, TimeSpan.FromSeconds(10)), $"last index {client.LastIndex}, fed up to {last}");

        _output.WriteLine($"frames {client.Frames}, messages {client.Messages}, most frames in one message {client.MaxFramesPerMessage}");
        Assert.Equal(0, client.Discontinuities);
        Assert.Equal(0, client.ValueMismatches);
        Assert.Equal(32, client.ChannelsSeen);
        Assert.Equal(last - client.FirstIndex + 1, client.Samples);
        Assert.Equal(0, host.Feeder.Overruns);
        JsonElement stream = client.Texts.First(t => t.GetProperty("type").GetString() == "stream");
        Assert.Equal(4000, stream.GetProperty("sampleRate").GetInt32());
        Assert.Equal("Fp1", stream.GetProperty("channelNames")[0].GetString());
    }

    [Fact]
    public async Task A_client_that_stops_reading_for_10_s_gets_drops_counted_and_is_closed_while_another_keeps_every_frame()
    {
        // 256 KiB messages: on this shared 2-core machine the healthy client's reader can be
        // descheduled for a while; 4 x 256 KiB holds 1.6 s of the stream for it.
        var settings = GatewaySettings.Default with { Port = 0, MaxMessageBytes = 256 * 1024 };
        await using GatewayHost host = await GatewayHost.StartAsync(Sys, settings);
        await using StreamClient stalled = await StreamClient.ConnectAsync(host.BaseAddress, receiveBufferBytes: 4096);
        await using StreamClient healthy = await StreamClient.ConnectAsync(host.BaseAddress);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        healthy.StartReading(cts.Token);
        Assert.True(await Eventually(() => host.Server.Hub.Clients.Count == 2, TimeSpan.FromSeconds(10)));
        host.Feeder.Start();

        // The stalled client reads nothing for 10 s.
        var stall = Stopwatch.StartNew();
        long maxStalledDrops = 0;
        while (stall.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
            foreach (ClientStatus c in host.Server.Hub.Snapshot().Clients)
            {
                if (c.Id == 1) maxStalledDrops = Math.Max(maxStalledDrops, c.FramesDropped);
            }
        }
        GatewayStatus atResume = host.Server.Hub.Snapshot();
        stalled.StartReading(cts.Token);
        bool closed = await Eventually(() => stalled.Closed, TimeSpan.FromSeconds(20));
        _output.WriteLine($"at resume: clients {atResume.Clients.Count}, too slow {atResume.ClientsTooSlow}, drops {atResume.FramesDropped}; " +
            string.Join("; ", atResume.Clients.Select(c => $"#{c.Id} sent {c.FramesSent} dropped {c.FramesDropped} queued {c.QueuedMessages}")));
        Assert.True(closed, $"the stalled client was not closed (it received {stalled.Frames} frames)");
        await host.Feeder.StopAsync();
        long last = host.Feeder.NextIndex - 1;
        Assert.True(await Eventually(() => healthy.LastIndex == last, TimeSpan.FromSeconds(10)), $"healthy client got up to {healthy.LastIndex}, fed up to {last}");

        GatewayStatus gateway = host.Server.Hub.Snapshot();
        _output.WriteLine($"stalled: closed ({stalled.CloseReason}), its drops seen while stalled {maxStalledDrops}; gateway drops {gateway.FramesDropped}, too slow {gateway.ClientsTooSlow}");
        _output.WriteLine($"feeder: frames {host.Feeder.Frames}, overruns {host.Feeder.Overruns}; healthy discontinuities {healthy.Discontinuities}");
        _output.WriteLine($"healthy: frames {healthy.Frames}, messages {healthy.Messages}, most frames in one message {healthy.MaxFramesPerMessage}");
        Assert.True(maxStalledDrops > 0, "no drop was counted for the stalled client");
        Assert.Equal(1, gateway.ClientsTooSlow);
        Assert.True(gateway.FramesDropped >= maxStalledDrops);
        Assert.Single(gateway.Clients);
        Assert.Equal(0, gateway.Clients[0].FramesDropped);
        Assert.Equal(0, healthy.Discontinuities);
        Assert.Equal(0, healthy.FirstIndex);
        Assert.Equal(last + 1, healthy.Samples);
        Assert.Equal(0, host.Feeder.Overruns);
        Assert.Equal(0, host.Counters.Dropped);
    }

    [Fact]
    public async Task A_client_that_reads_but_too_slowly_is_told_it_is_too_slow_in_json_and_closed()
    {
        await using GatewayHost host = await GatewayHost.StartAsync(Sys);
        // Small TCP buffers so that the backlog builds in the gateway's queue, where it is counted.
        await using StreamClient slow = await StreamClient.ConnectAsync(host.BaseAddress, receiveBufferBytes: 4096);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // 4 KiB every 20 ms at most: under 200 kB/s of the 640 kB/s sent (32 ch x 4000 SPS x 4 B + headers).
        slow.StartReadingSlowly(TimeSpan.FromMilliseconds(20), cts.Token);
        Assert.True(await Eventually(() => host.Server.Hub.Clients.Count == 1, TimeSpan.FromSeconds(10)));
        host.Feeder.Start();

        Assert.True(await Eventually(() => slow.Closed, TimeSpan.FromSeconds(40)), "the slow client was not closed");
        _output.WriteLine($"closed: {slow.CloseReason}; texts: {string.Join(" ", slow.Texts.Select(t => t.GetProperty("type").GetString()))}; frames {slow.Frames}, messages {slow.Messages}");

        JsonElement tooSlow = Assert.Single(slow.Texts, t => t.GetProperty("type").GetString() == "too-slow");
        _output.WriteLine(tooSlow.ToString());
        _output.WriteLine($"closed: {slow.CloseReason}");
        Assert.True(tooSlow.GetProperty("droppedFrames").GetInt64() > 0);
        Assert.Contains("too slow", slow.CloseReason);
        Assert.Equal(1, host.Server.Hub.Snapshot().ClientsTooSlow);
        Assert.Equal(0, host.Feeder.Overruns);
    }

    [Fact]
    public async Task A_client_can_subscribe_to_a_channel_subset_at_a_decimated_rate()
    {
        await using GatewayHost host = await GatewayHost.StartAsync(Sys);
        await using StreamClient client = await StreamClient.ConnectAsync(host.BaseAddress);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        client.StartReading(cts.Token);
        host.Feeder.Start();
        Assert.True(await Eventually(() => client.Texts.Any(t => t.GetProperty("type").GetString() == "stream"), TimeSpan.FromSeconds(10)));

        await client.SendAsync("{\"type\":\"subscribe\",\"channels\":[5,0,31],\"decimation\":4}", cts.Token);
        Assert.True(await Eventually(() => client.Texts.Any(t => t.GetProperty("type").GetString() == "subscribed"), TimeSpan.FromSeconds(10)));
        await client.SendAsync("{\"type\":\"decimate\",\"factor\":0}", cts.Token);
        Assert.True(await Eventually(() => client.Texts.Any(t => t.GetProperty("type").GetString() == "error"), TimeSpan.FromSeconds(10)));
        Assert.True(await Eventually(() => client.ChannelsSeen == 3 && client.Samples > 2000, TimeSpan.FromSeconds(30)));

        JsonElement ack = client.Texts.First(t => t.GetProperty("type").GetString() == "subscribed");
        Assert.Equal(4, ack.GetProperty("decimation").GetInt32());
        Assert.Equal("factor = 0 is not allowed: an integer from 1 to 1000",
            client.Texts.First(t => t.GetProperty("type").GetString() == "error").GetProperty("message").GetString());
        Assert.Equal(3, client.ChannelsSeen);
    }
}
