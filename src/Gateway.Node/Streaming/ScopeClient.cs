using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Eeg.Gateway.Configuration;

namespace Eeg.Gateway.Streaming;

/// <summary>
/// One browser (or any WebSocket client) of the stream: its bounded drop-oldest queue of
/// coalescing messages, its subscription (channels, decimation, pause), its counters, and the two
/// loops that send to and receive from its socket.
/// </summary>
/// <remarks>
/// The scope sink's thread calls <see cref="Offer"/> for every frame; it takes this client's lock
/// for a few list operations and never waits on the socket, so a stalled browser can neither slow
/// the pipeline nor the other clients. The queue holds at most <c>client-queue-depth</c> messages;
/// frames arriving while a send is in flight are appended to the newest waiting message (up to
/// <c>max-message-bytes</c>), so a client that keeps up gets fewer, larger messages instead of
/// drops. When all slots are full the oldest message's frames are dropped and counted.
/// Coalescing is what lets one socket carry 4000 frames/s: in WebSocketStreamTests a client that
/// kept up got 40 776 one-sample frames in 1 852 messages (22 per send on average, up to 1 638
/// after a 0.4 s stall of its reader on the loaded test machine) instead of 40 776 sends.
/// Offer allocates nothing, wake-ups of a waiting sender included (LiveClientAllocationTests).
/// </remarks>
public sealed class ScopeClient
{
    private const int MaxQueuedTexts = 64;
    private const int MaxRequestBytes = 16 * 1024;

    private readonly WebSocket _socket;
    private readonly int _maxMessageBytes;
    private readonly long _tooSlowTicks;
    private readonly long _abortTicks;
    private readonly Lock _lock = new();
    private readonly PendingMessage[] _ring;
    private int _head;
    private int _count;
    private PendingMessage? _spare;
    private readonly string?[] _texts = new string?[MaxQueuedTexts];
    private int _textHead;
    private int _textCount;
    private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private long _behindSince;
    private long _abortAt;
    private bool _tooSlow;
    private bool _closed;
    private int _aborted;

    private Subscription _subscription = Subscription.All;
    private uint _carriedFlags;

    private long _framesOffered;
    private long _framesSent;
    private long _framesDropped;
    private long _framesSkippedPaused;
    private long _messagesSent;
    private long _bytesSent;
    private long _textsSent;
    private long _textsDropped;

    internal ScopeClient(int id, WebSocket socket, string remote, GatewaySettings settings, ScopeHub hub)
    {
        Id = id;
        Remote = remote;
        Hub = hub;
        _socket = socket;
        _maxMessageBytes = settings.MaxMessageBytes;
        _tooSlowTicks = (long)(settings.TooSlowAfter.TotalSeconds * Stopwatch.Frequency);
        _abortTicks = (long)(settings.AbortAfter.TotalSeconds * Stopwatch.Frequency);
        int maxFrames = Math.Max(1, settings.MaxMessageBytes / (WireFormat.HeaderBytes + 4));
        _ring = new PendingMessage[settings.ClientQueueDepth];
        for (int i = 0; i < _ring.Length; i++) _ring[i] = new PendingMessage(maxFrames);
        _spare = new PendingMessage(maxFrames);
        ConnectedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; }
    public string Remote { get; }
    public DateTimeOffset ConnectedAt { get; }
    internal ScopeHub Hub { get; }

    /// <summary>True once the client was found too slow (it is being closed).</summary>
    public bool TooSlow { get { lock (_lock) return _tooSlow; } }

    /// <summary>Offers one encoded frame. Never blocks on the socket; drops the oldest waiting message when full.</summary>
    public void Offer(EncodedFrame frame, long nowTicks)
    {
        lock (_lock)
        {
            if (_closed || _tooSlow) return;
            if (_subscription.Paused)
            {
                _framesSkippedPaused++;
                return;
            }
            _framesOffered++;
            if (_count > 0)
            {
                PendingMessage tail = _ring[(_head + _count - 1) % _ring.Length];
                if (tail.HasRoomFor(frame.Length, _maxMessageBytes))
                {
                    tail.Add(frame);
                    _wake.Writer.TryWrite(0);
                    return;
                }
            }
            if (_count == _ring.Length)
            {
                PendingMessage oldest = _ring[_head];
                _framesDropped += oldest.Count;
                oldest.ReleaseAll();
                _head = (_head + 1) % _ring.Length;
                _count--;
                if (_behindSince == 0) _behindSince = nowTicks;
            }
            _ring[(_head + _count) % _ring.Length].Add(frame);
            _count++;
            if (_behindSince != 0 && nowTicks - _behindSince > _tooSlowTicks) MarkTooSlowLocked(nowTicks);
        }
        _wake.Writer.TryWrite(0);
    }

    /// <summary>Queues a JSON text message (status, stream description, stage output); the oldest text is dropped when 64 wait.</summary>
    public void EnqueueText(string json)
    {
        lock (_lock)
        {
            if (_closed) return;
            if (_textCount == _texts.Length)
            {
                _texts[_textHead] = null;
                _textHead = (_textHead + 1) % _texts.Length;
                _textCount--;
                _textsDropped++;
            }
            _texts[(_textHead + _textCount) % _texts.Length] = json;
            _textCount++;
        }
        _wake.Writer.TryWrite(0);
    }

    /// <summary>Called about once a second: aborts a too-slow client whose last send never completed.</summary>
    internal void Tick(long nowTicks)
    {
        bool abort;
        lock (_lock)
        {
            if (!_tooSlow && _behindSince != 0 && nowTicks - _behindSince > _tooSlowTicks) MarkTooSlowLocked(nowTicks);
            abort = _tooSlow && !_closed && nowTicks > _abortAt;
        }
        if (abort) Abort();
    }

    private void MarkTooSlowLocked(long nowTicks)
    {
        _tooSlow = true;
        _abortAt = nowTicks + _abortTicks;
        ReleaseQueuedLocked();
        Hub.CountTooSlow();
        _wake.Writer.TryWrite(0);
    }

    private void ReleaseQueuedLocked()
    {
        for (int i = 0; i < _count; i++) _ring[(_head + i) % _ring.Length].ReleaseAll();
        _head = 0;
        _count = 0;
    }

    /// <summary>Stops queueing and lets go of every queued frame; the sender loop ends.</summary>
    internal void Complete()
    {
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
            ReleaseQueuedLocked();
            Array.Clear(_texts);
            _textCount = 0;
        }
        _wake.Writer.TryComplete();
    }

    internal void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0) _socket.Abort();
    }

    /// <summary>Sends queued texts and binary messages until the client closes or is found too slow.</summary>
    internal async Task RunSenderAsync(CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(_maxMessageBytes);
        byte[] textBuffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (TryTakeText(out string? text))
                {
                    int bytes = Encoding.UTF8.GetMaxByteCount(text.Length);
                    if (bytes > textBuffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(textBuffer);
                        textBuffer = ArrayPool<byte>.Shared.Rent(bytes);
                    }
                    int length = Encoding.UTF8.GetBytes(text, textBuffer);
                    await _socket.SendAsync(textBuffer.AsMemory(0, length), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
                    Interlocked.Increment(ref _textsSent);
                    continue;
                }

                if (TooSlow)
                {
                    await SendTooSlowAndCloseAsync(textBuffer, ct).ConfigureAwait(false);
                    return;
                }

                PendingMessage? message = TakeMessage(out Subscription subscription);
                if (message is not null)
                {
                    if (message.Bytes > buffer.Length)
                    {
                        // One frame larger than max-message-bytes: it travels alone.
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(message.Bytes);
                    }
                    int frames = message.Count;
                    int length = CopyOut(message, buffer, subscription);
                    message.ReleaseAll();
                    lock (_lock) _spare = message;
                    if (length > 0)
                    {
                        await _socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
                        Interlocked.Add(ref _framesSent, frames);
                        Interlocked.Increment(ref _messagesSent);
                        Interlocked.Add(ref _bytesSent, length);
                    }
                    continue;
                }

                if (!await _wake.Reader.WaitToReadAsync(ct).ConfigureAwait(false)) return;
                _wake.Reader.TryRead(out _);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(textBuffer);
        }
    }

    private async Task SendTooSlowAndCloseAsync(byte[] textBuffer, CancellationToken ct)
    {
        long dropped;
        lock (_lock) dropped = _framesDropped;
        string json = JsonMessages.TooSlow(dropped, _tooSlowTicks / (double)Stopwatch.Frequency);
        int length = Encoding.UTF8.GetBytes(json, textBuffer);
        await _socket.SendAsync(textBuffer.AsMemory(0, length), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "too slow", ct).ConfigureAwait(false);
    }

    private bool TryTakeText([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        lock (_lock)
        {
            if (_textCount == 0)
            {
                text = null;
                return false;
            }
            text = _texts[_textHead]!;
            _texts[_textHead] = null;
            _textHead = (_textHead + 1) % _texts.Length;
            _textCount--;
            return true;
        }
    }

    /// <summary>Takes the oldest waiting message, putting the sender's empty spare in its slot.</summary>
    private PendingMessage? TakeMessage(out Subscription subscription)
    {
        lock (_lock)
        {
            subscription = _subscription;
            if (_count == 0 || _spare is null || _tooSlow) return null;
            PendingMessage taken = _ring[_head];
            _ring[_head] = _spare;
            _spare = null;
            _head = (_head + 1) % _ring.Length;
            _count--;
            if (_count == 0) _behindSince = 0;
            return taken;
        }
    }

    /// <summary>
    /// Copies the message's frames into the send buffer: a block copy per frame when the client
    /// takes every channel at full rate, otherwise its channel subset and every k-th sample.
    /// </summary>
    private int CopyOut(PendingMessage message, byte[] buffer, Subscription subscription)
    {
        int position = 0;
        for (int f = 0; f < message.Count; f++)
        {
            EncodedFrame frame = message[f];
            if (subscription.IsFull || !subscription.FitsChannels(frame.Channels))
            {
                frame.Bytes.CopyTo(buffer.AsSpan(position));
                if (_carriedFlags != 0)
                {
                    uint flags = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(position + 12));
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(position + 12), flags | _carriedFlags);
                    _carriedFlags = 0;
                }
                position += frame.Length;
                continue;
            }
            position += CopyReduced(frame, buffer.AsSpan(position), subscription);
        }
        return position;
    }

    private int CopyReduced(EncodedFrame frame, Span<byte> destination, Subscription subscription)
    {
        int k = subscription.Decimation;
        int channels = frame.Channels;
        long first = frame.FirstSampleIndex;
        long remainder = first % k;
        int firstKept = remainder == 0 ? 0 : (int)(k - remainder);
        if (firstKept >= frame.Samples)
        {
            // No sample of this frame falls on the decimation grid: its gap or trigger flag rides
            // on the next frame this client gets, so the marker is not lost.
            _carriedFlags |= frame.Flags;
            return 0;
        }
        int kept = (frame.Samples - 1 - firstKept) / k + 1;
        int[]? selected = subscription.Channels;
        int outChannels = selected?.Length ?? channels;
        long timeNs = frame.FirstSampleUnixNs + (long)(firstKept * subscription.NanosPerSample);
        WireFormat.WriteHeader(destination, outChannels, kept, frame.Flags | _carriedFlags, first + firstKept, timeNs);
        _carriedFlags = 0;

        // The body starts 32 bytes into the array: float-aligned, and both hosts (x64, arm64) are
        // little-endian, so the floats are read and written in place.
        ReadOnlySpan<float> source = MemoryMarshal.Cast<byte, float>(frame.Body);
        Span<float> target = MemoryMarshal.Cast<byte, float>(destination.Slice(WireFormat.HeaderBytes, 4 * outChannels * kept));
        int o = 0;
        for (int s = 0; s < kept; s++)
        {
            int row = (firstKept + s * k) * channels;
            if (selected is null)
            {
                source.Slice(row, channels).CopyTo(target.Slice(o, channels));
                o += channels;
            }
            else
            {
                for (int i = 0; i < selected.Length; i++) target[o++] = source[row + selected[i]];
            }
        }
        return WireFormat.FrameBytes(outChannels, kept);
    }

    /// <summary>Reads client requests (JSON text) until the client closes.</summary>
    internal async Task RunReceiverAsync(CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxRequestBytes);
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "requests are at most 16 KiB", ct).ConfigureAwait(false);
                        return;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct).ConfigureAwait(false);
                    }
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    HandleRequest(buffer.AsSpan(0, length));
                }
                else
                {
                    EnqueueText(JsonMessages.Error("binary messages from clients are not understood; send JSON text requests (docs/protocol.md)"));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void HandleRequest(ReadOnlySpan<byte> json)
    {
        int channelCount = Hub.Stream?.ChannelCount ?? 0;
        double nanosPerSample = Hub.Stream is { SampleRate: > 0 } stream ? 1e9 / stream.SampleRate : 0;
        Subscription current;
        lock (_lock) current = _subscription;
        if (!ClientRequest.TryApply(json, current, channelCount, nanosPerSample, out Subscription next, out string? error))
        {
            EnqueueText(JsonMessages.Error(error!));
            return;
        }
        lock (_lock) _subscription = next;
        EnqueueText(JsonMessages.Subscribed(next, Id));
    }

    /// <summary>Re-applies the sample period when the stream changes.</summary>
    internal void OnStreamChanged(double nanosPerSample)
    {
        lock (_lock) _subscription = _subscription with { NanosPerSample = nanosPerSample };
    }

    /// <summary>This client's counters.</summary>
    public ClientStatus Snapshot()
    {
        lock (_lock)
        {
            return new ClientStatus(
                Id, Remote, (DateTimeOffset.UtcNow - ConnectedAt).TotalSeconds,
                _framesOffered, Interlocked.Read(ref _framesSent), _framesDropped, _framesSkippedPaused,
                Interlocked.Read(ref _messagesSent), Interlocked.Read(ref _bytesSent),
                Interlocked.Read(ref _textsSent), _textsDropped, _count, _ring.Length,
                _subscription.Channels, _subscription.Decimation, _subscription.Paused, _tooSlow);
        }
    }
}
