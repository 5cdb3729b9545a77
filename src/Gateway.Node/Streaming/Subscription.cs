namespace Eeg.Gateway.Streaming;

/// <summary>What one client asked to receive: a channel subset (null = all), every k-th sample, or nothing (paused).</summary>
/// <param name="Channels">Channel indices in the order the client wants them, or null for all channels.</param>
/// <param name="Decimation">Keep the samples whose index is a multiple of this (1 = every sample).</param>
/// <param name="Paused">True: no binary frames are queued for this client (texts still are).</param>
/// <param name="NanosPerSample">The stream's sample period, to time-stamp the first kept sample.</param>
public sealed record Subscription(int[]? Channels, int Decimation, bool Paused, double NanosPerSample)
{
    public static Subscription All { get; } = new(null, 1, false, 0);

    /// <summary>Every channel at full rate: frames go out as encoded, one block copy each.</summary>
    public bool IsFull => Channels is null && Decimation == 1;

    /// <summary>The highest channel index asked for, or -1.</summary>
    public int MaxChannel { get; } = Channels is null || Channels.Length == 0 ? -1 : Channels.Max();

    /// <summary>False when a frame has fewer channels than the subset names (the stream changed): the frame goes out whole.</summary>
    public bool FitsChannels(int channels) => MaxChannel < channels;
}
