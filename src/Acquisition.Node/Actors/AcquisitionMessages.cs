using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Actors;

/// <summary>Changes the online filters; applied at the next frame, without a gap.</summary>
public sealed record UpdateFilters(DspSettings Settings);

/// <summary>Asks for the current stream description.</summary>
public sealed record GetStreamDescription
{
    public static GetStreamDescription Instance { get; } = new();
    private GetStreamDescription() { }
}

/// <summary>Asks the acquisition actor to print its one-line status now (the timer sends it).</summary>
internal sealed record PrintStatus
{
    public static PrintStatus Instance { get; } = new();
    private PrintStatus() { }
}

/// <summary>Asks for the actor of a local sink by name; answered with the IActorRef, or Nobody.</summary>
public sealed record GetSinkActor(string Name);

/// <summary>
/// Turns the amplifier's impedance check on or off (ADS1299: AC lead-off excitation, impedance per
/// channel in the status snapshot). Answered with <see cref="ImpedanceCheckState"/>.
/// </summary>
public sealed record SetImpedanceCheck(bool On);

/// <summary>The answer to <see cref="SetImpedanceCheck"/>: whether the check now runs, and why not when it cannot.</summary>
public sealed record ImpedanceCheckState(bool On, string? Error);
