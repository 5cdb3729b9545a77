using System.Reflection;
using Eeg.Pipeline.Configuration;
using Eeg.Shared.Stages;

namespace Eeg.Processing.Stages;

/// <summary>
/// A configured stage, checked at start-up: its type was found, is a stage, and its settings bound.
/// The host creates a fresh instance from it at start and after every failure.
/// </summary>
public sealed class StageBlueprint
{
    private readonly ConstructorInfo _constructor;
    private readonly object? _settings;

    internal StageBlueprint(StageEntry entry, Type stageType, ConstructorInfo constructor, object? settings, StageHostOptions options)
    {
        Entry = entry;
        StageType = stageType;
        _constructor = constructor;
        _settings = settings;
        Options = options;
    }

    /// <summary>The stage's configured name.</summary>
    public string Name => Entry.Name;

    /// <summary>The HOCON entry it came from (policy, capacity, decimate factor for the fan-out).</summary>
    public StageEntry Entry { get; }

    /// <summary>The class that implements <see cref="IStage"/>.</summary>
    public Type StageType { get; }

    /// <summary>The bound settings object, or null when the stage takes none.</summary>
    public object? Settings => _settings;

    /// <summary>Restart budget, back-off and publish interval.</summary>
    public StageHostOptions Options { get; }

    /// <summary>A new instance. Exceptions from the stage's constructor come out unwrapped.</summary>
    public IStage Create()
    {
        try
        {
            return (IStage)_constructor.Invoke(_settings is null ? null : [_settings]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
