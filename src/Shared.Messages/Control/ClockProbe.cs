namespace Eeg.Shared.Control;

/// <summary>
/// NTP-style clock probe from a node's agent to the acquisition node's agent. Times are wall-clock
/// UTC in 100 ns ticks (DateTime.Ticks). <paramref name="T0"/> is the sender's time at sending;
/// <paramref name="OffsetMicros"/> and <paramref name="RoundTripMicros"/> are what the sender has
/// measured so far (null before its first answer), so the acquisition node can show every member's
/// offset in /status.
/// </summary>
public sealed record ClockProbe(long T0, double? OffsetMicros = null, double? RoundTripMicros = null);

/// <summary>
/// The answer: the probe's <paramref name="T0"/>, and the acquisition node's clock at receiving
/// (<paramref name="T1"/>) and at answering (<paramref name="T2"/>).
/// </summary>
public sealed record ClockProbeReply(long T0, long T1, long T2);
