namespace Eeg.Gateway.Streaming;

/// <summary>One WebSocket client's counters, as /status and /metrics show them.</summary>
public sealed record ClientStatus(
    int Id,
    string Remote,
    double ConnectedSeconds,
    long FramesOffered,
    long FramesSent,
    long FramesDropped,
    long FramesSkippedPaused,
    long MessagesSent,
    long BytesSent,
    long TextsSent,
    long TextsDropped,
    int QueuedMessages,
    int QueueDepth,
    IReadOnlyList<int>? Channels,
    int Decimation,
    bool Paused,
    bool TooSlow);

/// <summary>The gateway's own counters: totals include clients that have left, so they only grow.</summary>
public sealed record GatewayStatus(
    int ClientsConnected,
    long ClientsAccepted,
    long ClientsRefused,
    long ClientsTooSlow,
    long FramesEncoded,
    long FramesSent,
    long FramesDropped,
    long MessagesSent,
    long BytesSent,
    long EncodedFramesCreated,
    IReadOnlyList<ClientStatus> Clients);
