using Eeg.Shared.Frames;

namespace Eeg.Shared.Stages;

/// <summary>
/// What a stage can do besides reading frames: publish derived values, emit events, log. Given to
/// every call; the same instance for the stage's whole life (so a stage may keep it).
/// </summary>
/// <remarks>
/// Publishing is shaped for a hot path: <see cref="Publish(string, ReadOnlySpan{float})"/> takes a
/// span, which the host copies into a buffer it allocated the first time it saw that output name, so
/// the call allocates nothing. The host forwards an output at most about ten times per second
/// (latest value wins; values replaced before they were forwarded are counted), as a
/// <see cref="StageOutputUpdate"/> on the node's event stream (the gateway plots it). Publish
/// whenever you have a new value; to feed a continuous slower stream, publish blocks of samples no
/// more often than five times per second (see the DecimatorStage example).
/// </remarks>
public interface IStageContext
{
    /// <summary>The stage's configured name (<c>name = alpha</c> in HOCON).</summary>
    string StageName { get; }

    /// <summary>The stream's description: channel names, sample rate, units.</summary>
    StreamDescription Stream { get; }

    /// <summary>
    /// Publishes the latest values of the output named <paramref name="output"/> (e.g. "alpha", one
    /// value per channel in channel order). The values are copied before the call returns. They are
    /// stamped with the last sample index of the frame being processed.
    /// </summary>
    void Publish(string output, ReadOnlySpan<float> values);

    /// <summary>As <see cref="Publish(string, ReadOnlySpan{float})"/>, stamped with <paramref name="sampleIndex"/>
    /// (the sample the values belong to, e.g. the end of a block).</summary>
    void Publish(string output, ReadOnlySpan<float> values, long sampleIndex);

    /// <summary>
    /// Emits a discrete event (a blink, a detected spindle) at <paramref name="sampleIndex"/>. Events are
    /// forwarded as they come as a <see cref="StageEvent"/> (one small message each, so meant for
    /// events, not for every frame; past a hundred per second the host drops and counts them).
    /// </summary>
    void Emit(string eventName, long sampleIndex, string? detail = null);

    /// <summary>Writes a line to the node's log, prefixed with the stage's name. Not for every frame.</summary>
    void Log(string message);
}
