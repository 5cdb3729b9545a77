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
