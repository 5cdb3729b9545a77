using System.Diagnostics;
using System.Net.WebSockets;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Streaming;

namespace Eeg.Tests.Gateway.Node;

/// <summary>The per-client queue on its own: no socket is read or written, time is passed in.</summary>
public class ClientQueueTests
{
    private static readonly GatewaySettings Settings = GatewaySettings.Default with { MaxMessageBytes = 4096 };

    private static (ScopeClient Client, ScopeHub Hub) NewClient(GatewaySettings settings)
    {
        var hub = new ScopeHub(settings);
        var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        return (new ScopeClient(1, socket, "test", settings, hub), hub);
    }

    private static EncodedFrame Frame(EncodedFramePool pool, long index)
    {
        EncodedFrame frame = pool.Rent(WireFormat.FrameBytes(32, 1));
        frame.Encode(new float[32], 32, 1, 0, index, 0);
        return frame;
    }

    [Fact]
    public void Frames_arriving_while_the_client_is_busy_coalesce_into_messages_of_at_most_max_message_bytes()
    {
        var (client, hub) = NewClient(Settings);
        // 160-byte frames, 4096-byte messages: 25 frames per message, 4 messages = 100 frames held.
        for (long i = 0; i < 100; i++)
        {
            EncodedFrame frame = Frame(hub.Pool, i);
            client.Offer(frame, 0);
            frame.Release();
        }

        ClientStatus status = client.Snapshot();
        Assert.Equal(4, status.QueuedMessages);
        Assert.Equal(0, status.FramesDropped);
        Assert.Equal(100, status.FramesOffered);
    }

    [Fact]
    public void A_full_queue_drops_its_oldest_message_and_counts_every_frame_in_it()
    {
        var (client, hub) = NewClient(Settings);
        for (long i = 0; i < 1000; i++)
        {
            EncodedFrame frame = Frame(hub.Pool, i);
            client.Offer(frame, 0);
            frame.Release();
        }

        ClientStatus status = client.Snapshot();
        // 1000 frames = 40 full messages; the newest 4 are kept, 36 x 25 frames were dropped.
        Assert.Equal(900, status.FramesDropped);
        Assert.Equal(4, status.QueuedMessages);
        // Dropped frames went back to the pool: only the 100 queued ones are still held.
        Assert.Equal(hub.Pool.Created - 100, hub.Pool.Available);
    }

    [Fact]
    public void A_client_that_keeps_dropping_for_longer_than_too_slow_after_is_marked_too_slow_and_let_go()
    {
        var (client, hub) = NewClient(Settings);
        long second = Stopwatch.Frequency;
        long now = 0;
        for (long i = 0; i < 1000; i++)
        {
            EncodedFrame frame = Frame(hub.Pool, i);
            client.Offer(frame, now);
            frame.Release();
            now += second / 100; // 10 s over the 1000 frames; drops start at frame 100 (1 s)
        }

        Assert.True(client.TooSlow);
        Assert.Equal(1, hub.Snapshot().ClientsTooSlow);
        // Its queue was released so a too-slow client holds no buffers while it is being closed.
        Assert.Equal(hub.Pool.Created, hub.Pool.Available);
    }

    [Fact]
    public void A_client_that_drops_less_long_than_too_slow_after_stays()
    {
        var (client, hub) = NewClient(Settings);
        long now = 0;
        for (long i = 0; i < 400; i++)
        {
            EncodedFrame frame = Frame(hub.Pool, i);
            client.Offer(frame, now);
            frame.Release();
            now += Stopwatch.Frequency / 100; // 4 s in all, dropping for the last 3
        }

        Assert.False(client.TooSlow);
        Assert.Equal(300, client.Snapshot().FramesDropped);
    }

    [Fact]
    public void A_paused_client_queues_nothing_and_drops_nothing()
    {
        var (client, hub) = NewClient(Settings);
        Assert.True(ClientRequest.TryApply("{\"type\":\"pause\"}"u8, Subscription.All, 32, 250_000, out Subscription paused, out _));
        typeof(ScopeClient).GetField("_subscription", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(client, paused);

        for (long i = 0; i < 50; i++)
        {
            EncodedFrame frame = Frame(hub.Pool, i);
            client.Offer(frame, 0);
            frame.Release();
        }

        ClientStatus status = client.Snapshot();
        Assert.Equal(0, status.QueuedMessages);
        Assert.Equal(0, status.FramesDropped);
        Assert.Equal(50, status.FramesSkippedPaused);
    }

    [Theory]
    [InlineData("{\"type\":\"subscribe\",\"channels\":[0,40]}", "channels = [0,40] is not allowed: a non-empty list of distinct channel indices from 0 to 31, or null for all")]
    [InlineData("{\"type\":\"decimate\",\"factor\":0}", "factor = 0 is not allowed: an integer from 1 to 1000")]
    [InlineData("{\"type\":\"zoom\"}", "type = \"zoom\" is not allowed: subscribe, decimate, pause or resume")]
    [InlineData("[1,2]", "a request is a JSON object with a \"type\": subscribe, decimate, pause or resume")]
    public void A_bad_request_gets_one_line_saying_what_is_allowed(string json, string expected)
    {
        Assert.False(ClientRequest.TryApply(System.Text.Encoding.UTF8.GetBytes(json), Subscription.All, 32, 250_000, out _, out string? error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_subscribe_request_sets_channels_decimation_and_pause_together()
    {
        Assert.True(ClientRequest.TryApply("{\"type\":\"subscribe\",\"channels\":[3,1],\"decimation\":4,\"paused\":false}"u8, Subscription.All, 32, 250_000, out Subscription next, out _));

        Assert.Equal([3, 1], next.Channels!);
        Assert.Equal(4, next.Decimation);
        Assert.False(next.Paused);
        Assert.False(next.IsFull);
    }
}
