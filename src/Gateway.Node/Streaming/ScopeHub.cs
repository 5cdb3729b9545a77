using System.Diagnostics;
using System.Net.WebSockets;
using Eeg.Gateway.Configuration;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Gateway.Streaming;

/// <summary>
/// The set of WebSocket clients and the one place frames enter the gateway: each slab is encoded
/// once into a pooled <see cref="EncodedFrame"/> and offered to every client.
/// </summary>
/// <remarks>
/// The client list is a copy-on-write array: the scope sink's thread iterates a snapshot without
/// a lock or an enumerator allocation at 4000 frames/s, while connects and disconnects (rare)
/// copy the array under a lock.
/// </remarks>
public sealed class ScopeHub
{
    private readonly GatewaySettings _settings;
    private readonly Lock _membership = new();
    private volatile ScopeClient[] _clients = [];
    private volatile StreamDescription? _stream;
    private volatile string? _streamJson;
    private int _nextId;
    private int _reserved;

    private long _clientsAccepted;
    private long _clientsRefused;
    private long _clientsTooSlow;
    private long _framesEncoded;
    // Counters of clients that have left, so the totals never go down (Prometheus counters).
    private long _goneFramesSent;
    private long _goneFramesDropped;
    private long _goneMessagesSent;
    private long _goneBytesSent;

    public ScopeHub(GatewaySettings settings, EncodedFramePool? pool = null)
    {
        _settings = settings;
        Pool = pool ?? new EncodedFramePool();
    }

    /// <summary>The encoded frame buffers.</summary>
    public EncodedFramePool Pool { get; }

    /// <summary>The stream's description, once the scope sink received it.</summary>
    public StreamDescription? Stream => _stream;

    /// <summary>Clients connected right now.</summary>
    public IReadOnlyList<ScopeClient> Clients => _clients;

    /// <summary>
    /// Encodes one frame and offers it to every client. Called by <see cref="ScopeSinkActor"/> on
    /// the sink's thread; returns without waiting for any socket. Allocates nothing in steady state
    /// (ScopeSinkAllocationTests), except the JSON of a frame that carries triggers.
    /// </summary>
    public void Publish(Slab slab)
    {
        Interlocked.Increment(ref _framesEncoded);
        ScopeClient[] clients = _clients;
        if (clients.Length == 0) return;

        int channels = slab.Channels;
        int samples = slab.SampleCount;
        EncodedFrame frame = Pool.Rent(WireFormat.FrameBytes(channels, samples));
        frame.Encode(slab.MicrovoltSpan, channels, samples, (uint)slab.Flags, slab.FirstSampleIndex, slab.FirstSampleUnixNs);
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < clients.Length; i++) clients[i].Offer(frame, now);
        frame.Release();

        if (slab.TriggerCount > 0) BroadcastText(JsonMessages.Triggers(slab.Triggers.AsSpan(0, slab.TriggerCount)));
    }

    /// <summary>Keeps the stream's description, sends it to every client and sizes the frame pool for it.</summary>
    public void SetStream(StreamDescription description)
    {
        // Every client's queue holds the newest frames offered to it (drop-oldest), and all
        // clients are offered the same frames, so together they hold at most depth x frames per
        // message of them (senders let go before sending; paused and too-slow clients hold none).
        // Creating that many now means a lagging client never makes the pool grow mid-stream.
        int frameBytes = WireFormat.FrameBytes(description.ChannelCount, Math.Max(1, description.FrameSamples));
        int bound = _settings.ClientQueueDepth * Math.Max(1, _settings.MaxMessageBytes / frameBytes) + 2;
        Pool.Prewarm(bound, frameBytes);

        string json = JsonMessages.Stream(description);
        double nanosPerSample = description.SampleRate > 0 ? 1e9 / description.SampleRate : 0;
        ScopeClient[] clients;
        lock (_membership)
        {
            _stream = description;
            _streamJson = json;
            clients = _clients;
        }
        foreach (ScopeClient client in clients)
        {
            client.OnStreamChanged(nanosPerSample);
            client.EnqueueText(json);
        }
    }

    /// <summary>Queues a JSON text message for every client.</summary>
    public void BroadcastText(string json)
    {
        foreach (ScopeClient client in _clients) client.EnqueueText(json);
    }

    /// <summary>Checks every client for too-slow (called about once a second).</summary>
    public void Tick()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (ScopeClient client in _clients) client.Tick(now);
    }

    /// <summary>Takes a client slot; false when max-clients are connected (the caller answers 503).</summary>
    internal bool TryReserve()
    {
        if (Interlocked.Increment(ref _reserved) <= _settings.MaxClients) return true;
        Interlocked.Decrement(ref _reserved);
        Interlocked.Increment(ref _clientsRefused);
        return false;
    }

    /// <summary>Serves one accepted WebSocket until it closes, is closed as too slow, or the server stops.</summary>
    internal async Task ServeAsync(WebSocket socket, string remote, CancellationToken stopping)
    {
        var client = new ScopeClient(Interlocked.Increment(ref _nextId), socket, remote, _settings, this);
        lock (_membership)
        {
            if (_stream is { SampleRate: > 0 } s) client.OnStreamChanged(1e9 / s.SampleRate);
            if (_streamJson is not null) client.EnqueueText(_streamJson);
            _clients = [.. _clients, client];
        }
        Interlocked.Increment(ref _clientsAccepted);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task sender = client.RunSenderAsync(cts.Token);
        Task receiver = client.RunReceiverAsync(cts.Token);
        try
        {
            Task first = await Task.WhenAny(sender, receiver).ConfigureAwait(false);
            client.Complete();
            if (first == sender)
            {
                // The sender ended (too slow, or the socket failed): give the client abort-after
                // to answer the close, then abort.
                Task grace = Task.Delay(_settings.AbortAfter, stopping);
                if (await Task.WhenAny(receiver, grace).ConfigureAwait(false) != receiver) client.Abort();
            }
            else if (socket.State != WebSocketState.Closed)
            {
                client.Abort();
            }
            await Task.WhenAll(sender.ContinueWith(static _ => { }, TaskScheduler.Default), receiver.ContinueWith(static _ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        }
        finally
        {
            client.Complete();
            Remove(client);
            socket.Dispose();
        }
    }

    private void Remove(ScopeClient client)
    {
        lock (_membership)
        {
            _clients = _clients.Where(c => c != client).ToArray();
        }
        ClientStatus last = client.Snapshot();
        Interlocked.Add(ref _goneFramesSent, last.FramesSent);
        Interlocked.Add(ref _goneFramesDropped, last.FramesDropped);
        Interlocked.Add(ref _goneMessagesSent, last.MessagesSent);
        Interlocked.Add(ref _goneBytesSent, last.BytesSent);
        Interlocked.Decrement(ref _reserved);
    }

    internal void CountTooSlow() => Interlocked.Increment(ref _clientsTooSlow);

    /// <summary>The gateway's counters and every connected client's.</summary>
    public GatewayStatus Snapshot()
    {
        ClientStatus[] clients = _clients.Select(c => c.Snapshot()).ToArray();
        return new GatewayStatus(
            clients.Length,
            Interlocked.Read(ref _clientsAccepted),
            Interlocked.Read(ref _clientsRefused),
            Interlocked.Read(ref _clientsTooSlow),
            Interlocked.Read(ref _framesEncoded),
            Interlocked.Read(ref _goneFramesSent) + clients.Sum(c => c.FramesSent),
            Interlocked.Read(ref _goneFramesDropped) + clients.Sum(c => c.FramesDropped),
            Interlocked.Read(ref _goneMessagesSent) + clients.Sum(c => c.MessagesSent),
            Interlocked.Read(ref _goneBytesSent) + clients.Sum(c => c.BytesSent),
            Pool.Created,
            clients);
    }
}
