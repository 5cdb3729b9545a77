namespace Eeg.Shared.Control;

/// <summary>
/// NTP-style clock probe from a node's agent to the acquisition node's agent. Times are wall-clock
/// UTC in 100 ns ticks (DateTime.Ticks). <paramref name="T0"/> is the sender's time at sending.
/// </summary>
public sealed record ClockProbe(long T0);

/// <summary>
/// The answer: the probe's <paramref name="T0"/>, and the acquisition node's clock at receiving
/// (<paramref name="T1"/>) and at answering (<paramref name="T2"/>).
/// </summary>
public sealed record ClockProbeReply(long T0, long T1, long T2);
