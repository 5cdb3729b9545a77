namespace Eeg.Shared.Stages;

/// <summary>
/// A derived value a stage published (band power per channel, a rate...), as it leaves the stage's
/// host for the gateway, the status and the recorders. Published on the actor system's event stream
/// at most a few times per second per output (the host throttles), so its allocation is not per frame.
/// </summary>
/// <param name="Stage">The stage's configured name.</param>
/// <param name="Output">The output stream's name within the stage (e.g. "alpha").</param>
/// <param name="SampleIndex">The sample index the values belong to (the end of the window).</param>
/// <param name="Values">The values, e.g. one per channel.</param>
/// <param name="Labels">A label per value (channel names), or null.</param>
public sealed record StageOutputUpdate(string Stage, string Output, long SampleIndex, float[] Values, IReadOnlyList<string>? Labels);

/// <summary>A discrete event a stage detected (a blink), aligned to a sample.</summary>
public sealed record StageEvent(string Stage, string Name, long SampleIndex, string? Detail);
