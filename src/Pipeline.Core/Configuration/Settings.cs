namespace Eeg.Pipeline.Configuration;

// The immutable settings the nodes run on, read once from HOCON (hocon/reference.conf has a
// sentence on every key). PipelineSettings.FromConfig validates and fails with one line naming
// the key, the value and what is allowed.

public enum SourceKind { Simulated, Ads1299, Replay }

public enum WaitStrategyKind { BusySpin, Yielding, Blocking }

public enum SimulatedSignal { Eeg, Pattern }

public enum SinkPolicy { DropOldest, DropNewest, Decimate, Lossless }

public sealed record DspSettings(
    bool Enabled,
    bool HighpassEnabled, double HighpassHz, int HighpassOrder,
    bool NotchEnabled, double NotchHz, double NotchQ, int NotchHarmonics,
    bool LowpassEnabled, double LowpassHz, int LowpassOrder)
{
    public static DspSettings Default { get; } = new(true, true, 0.5, 2, true, 50, 30, 1, true, 100, 4);

    /// <summary>The filters in words, as StreamDescription.Filters shows them:
    /// "HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4)", or "none".</summary>
    public string Describe()
    {
        var parts = new List<string>(3);
        if (Enabled && HighpassEnabled) parts.Add(FormattableString.Invariant($"HP {HighpassHz:0.###} Hz (Butterworth {HighpassOrder})"));
        if (Enabled && NotchEnabled)
        {
            string harmonics = NotchHarmonics > 1 ? FormattableString.Invariant($" and {NotchHarmonics - 1} harmonic{(NotchHarmonics > 2 ? "s" : "")}") : "";
            parts.Add(FormattableString.Invariant($"notch {NotchHz:0.###} Hz{harmonics} (Q {NotchQ:0.###})"));
        }
        if (Enabled && LowpassEnabled) parts.Add(FormattableString.Invariant($"LP {LowpassHz:0.###} Hz (Butterworth {LowpassOrder})"));
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}

public sealed record SimulatedSettings(SimulatedSignal Signal, bool FreeRunning, int MainsHz, int Seed);

public sealed record ReplaySettings(string File, bool RealTime);

/// <summary>One sink of the fan-out: its loss policy and queue depth.</summary>
public sealed record SinkSettings(string Name, SinkPolicy Policy, int Capacity, TimeSpan LosslessTimeout, int DecimateFactor);

/// <summary>One research stage: its class, loss policy, depth and its own settings block (raw HOCON).</summary>
public sealed record StageEntry(string Name, string Type, SinkPolicy Policy, int Capacity, int DecimateFactor, Akka.Configuration.Config Settings)
{
    /// <summary>How long a lossless stage may hold up the fan-out before it is marked failed.</summary>
    public TimeSpan LosslessTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The stage as a sink of the fan-out (policy, depth, timeout).</summary>
    public SinkSettings ToSinkSettings() => new(Name, Policy, Capacity, LosslessTimeout, DecimateFactor);
}
