namespace Eeg.Shared.Control;

/// <summary>What the operator does to a stage.</summary>
public enum StageAction
{
    /// <summary>A fresh stage instance now (its restart count rises; a failed stage gets a full budget again).</summary>
    Restart,
    /// <summary>The stage is taken down; its host stays and releases (counts as skipped) every frame until started.</summary>
    Stop,
    /// <summary>Starts a stopped or failed stage again.</summary>
    Start,
}

/// <summary>
/// Sent to a node's agent, which passes it to the stage's host. Answered with
/// <see cref="StageCommandResult"/>, or <see cref="ControlRefused"/> (NotFound) for an unknown stage.
/// </summary>
public sealed record StageCommand(string Stage, StageAction Action);

/// <summary>The stage after a <see cref="StageCommand"/>: its restarts so far and whether it runs.</summary>
public sealed record StageCommandResult(string Stage, string Node, long Restarts, bool Running);
