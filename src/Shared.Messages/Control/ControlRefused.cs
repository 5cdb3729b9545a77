namespace Eeg.Shared.Control;

/// <summary>Why a control message was not carried out (the gateway maps it to an HTTP status).</summary>
public enum RefusalKind
{
    /// <summary>A value out of range (400).</summary>
    BadRequest,
    /// <summary>No such stage, node or part on this node (404).</summary>
    NotFound,
    /// <summary>Not possible in the present state, e.g. no impedance check on this source (409).</summary>
    Conflict,
    /// <summary>The part that would do it does not run (503).</summary>
    Unavailable,
}

/// <summary>The answer to a control message that could not be done, with the reason in one line.</summary>
public sealed record ControlRefused(RefusalKind Kind, string Reason);
