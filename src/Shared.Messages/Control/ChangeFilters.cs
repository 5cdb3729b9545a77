namespace Eeg.Shared.Control;

/// <summary>
/// Changes the acquisition node's filters at run time (applied at the next frame, without a gap).
/// Null: unchanged; 0: that filter off. Answered with the <see cref="FilterReport"/> now in effect,
/// or <see cref="ControlRefused"/> (BadRequest) naming the key and the allowed range.
/// </summary>
public sealed record ChangeFilters(double? HighpassHz, double? LowpassHz, double? NotchHz);
