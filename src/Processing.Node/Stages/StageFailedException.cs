namespace Eeg.Processing.Stages;

/// <summary>
/// A stage's own exception, wrapped by its host with the stage's name and the call that threw, so
/// the supervisor can count it against the right stage's restart budget.
/// </summary>
public sealed class StageFailedException : Exception
{
    public StageFailedException(string stageName, string call, Exception inner)
        : base($"stage '{stageName}' threw in {call}: {inner.GetType().Name}: {inner.Message}", inner)
    {
        StageName = stageName;
        Call = call;
    }

    public string StageName { get; }

    /// <summary>Which call threw: the constructor, OnStart, Process or OnStop.</summary>
    public string Call { get; }
}
