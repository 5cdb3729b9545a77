using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Eeg.Gateway.Streaming;

namespace Eeg.Tests.Gateway.Node.Support;

/// <summary>A WebSocket client of /ws that records what it receives (frames' indices and counts, text messages).</summary>
public sealed class StreamClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Lock _lock = new();
    private readonly List<JsonElement> _texts = new();
    private long _expectedNext = -1;
    private Task? _reader;

    private StreamClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Connects; with <paramref name="receiveBufferBytes"/> the client's TCP receive buffer is made small (a client that stops reading then fills up fast).</summary>
    public static async Task<StreamClient> ConnectAsync(Uri baseAddress, int? receiveBufferBytes = null, CancellationToken ct = default)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        if (receiveBufferBytes is int size)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, token) =>
                {
                    var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = size, NoDelay = true };
                    await s.ConnectAsync(context.DnsEndPoint, token).ConfigureAwait(false);
                    return new NetworkStream(s, ownsSocket: true);
                },
            };
            await socket.ConnectAsync(uri, new HttpMessageInvoker(handler), ct).ConfigureAwait(false);
        }
        else
        {
            await socket.ConnectAsync(uri, ct).ConfigureAwait(false);
        }
        return new StreamClient(socket);
    }

    public WebSocketState State => _socket.State;
    public long Frames { get; private set; }
    public long Samples { get; private set; }
    public long Messages { get; private set; }
    public long FirstIndex { get; private set; } = -1;
    public long LastIndex { get; private set; } = -1;
    public int Discontinuities { get; private set; }
    public int ValueMismatches { get; private set; }
    public int MaxFramesPerMessage { get; private set; }
    public int ChannelsSeen { get; private set; }
    public bool Closed { get; private set; }
    public string? CloseReason { get; private set; }

    /// <summary>Check every value against <see cref="EegTestSignal"/> (needs the stream's rate).</summary>
    public int VerifyValuesAtRate { get; set; }

    public IReadOnlyList<JsonElement> Texts { get { lock (_lock) return _texts.ToArray(); } }

    public void StartReading(CancellationToken ct) => _reader = Task.Run(() => ReadLoopAsync(ct, TimeSpan.Zero));

    /// <summary>Reads at most 4 KiB at a time and waits <paramref name="pause"/> before each read: a client that reads, but too slowly.</summary>
    public void StartReadingSlowly(TimeSpan pause, CancellationToken ct) => _reader = Task.Run(() => ReadLoopAsync(ct, pause));

    public Task Reader => _reader ?? Task.CompletedTask;

    public Task SendAsync(string json, CancellationToken ct) =>
        _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);

    private async Task ReadLoopAsync(CancellationToken ct, TimeSpan pause)
    {
        byte[] buffer = new byte[4 * 1024 * 1024];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (pause > TimeSpan.Zero) await Task.Delay(pause, ct).ConfigureAwait(false);
                    Memory<byte> into = pause > TimeSpan.Zero ? buffer.AsMemory(length, 4096) : buffer.AsMemory(length);
                    result = await _socket.ReceiveAsync(into, ct).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Closed = true;
                    CloseReason = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    using var doc = JsonDocument.Parse(buffer.AsMemory(0, length));
                    lock (_lock) _texts.Add(doc.RootElement.Clone());
                    continue;
                }
                OnBinary(buffer.AsSpan(0, length));
            }
        }
        catch (WebSocketException e)
        {
            Closed = true;
            CloseReason = "aborted: " + e.Message;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnBinary(ReadOnlySpan<byte> message)
    {
        Messages++;
        int frames = 0;
        int offset = 0;
        while (offset < message.Length)
        {
            if (!WireFormat.TryReadHeader(message[offset..], out WireFormat.Header h)) throw new InvalidDataException($"not an EEG1 frame at byte {offset}");
            if (_expectedNext >= 0 && h.FirstSampleIndex != _expectedNext) Discontinuities++;
            if (FirstIndex < 0) FirstIndex = h.FirstSampleIndex;
            LastIndex = h.FirstSampleIndex + h.Samples - 1;
            _expectedNext = h.FirstSampleIndex + h.Samples;
            ChannelsSeen = h.Channels;
            if (VerifyValuesAtRate > 0)
            {
                ReadOnlySpan<float> values = MemoryMarshal.Cast<byte, float>(message.Slice(offset + h.HeaderLength, 4 * h.Channels * h.Samples));
                for (int s = 0; s < h.Samples; s++)
                    for (int c = 0; c < h.Channels; c++)
                        if (values[s * h.Channels + c] != EegTestSignal.Value(h.FirstSampleIndex + s, c, VerifyValuesAtRate)) ValueMismatches++;
            }
            Samples += h.Samples;
            Frames++;
            frames++;
            offset += h.FrameLength;
        }
        if (frames > MaxFramesPerMessage) MaxFramesPerMessage = frames;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
        }
        _socket.Abort();
        if (_reader is not null) await _reader.ContinueWith(_ => { }).ConfigureAwait(false);
        _socket.Dispose();
    }
}
