using System.Reflection;
using Eeg.Pipeline.Configuration;
using Eeg.Shared.Stages;

namespace Eeg.Processing.Stages;

/// <summary>
/// Turns a HOCON stage entry into a checked <see cref="StageBlueprint"/>: finds the type by its full
/// name (in the host's assemblies or in <c>pipeline.stage-directory</c>), checks it is a stage, binds
/// its settings and builds one instance to let its constructor validate them. Every mistake is one
/// line naming the stage: <c>stage 'alpha': type 'Foo.Bar' not found in ...</c>.
/// </summary>
public sealed class StageFactory
{
    private readonly List<Assembly> _directoryAssemblies = [];

    /// <param name="stageDirectory">Folder of stage assemblies (*.dll), or null/empty for none. Relative paths are taken from the current directory.</param>
    public StageFactory(string? stageDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(stageDirectory)) return;
        StageDirectory = Path.GetFullPath(stageDirectory);
        if (!Directory.Exists(StageDirectory))
        {
            throw ConfigException.Invalid("pipeline.stage-directory", stageDirectory, $"an existing folder of stage assemblies ({StageDirectory} does not exist)");
        }
        foreach (string path in Directory.EnumerateFiles(StageDirectory, "*.dll").Order(StringComparer.Ordinal))
        {
            AssemblyName name;
            try
            {
                name = AssemblyName.GetAssemblyName(path);
            }
            catch (BadImageFormatException)
            {
                continue; // a native library next to the stage: its own load context resolves it
            }
            // The host's own assemblies (Shared.Messages copied by the stage's build, Akka ...) are
            // skipped: the stage must bind to the host's copy, see StageLoadContext.
            if (StageLoadContext.HostHas(name)) continue;
            try
            {
                _directoryAssemblies.Add(new StageLoadContext(path).LoadFromAssemblyPath(path));
            }
            catch (Exception e) when (e is FileLoadException or BadImageFormatException)
            {
                throw new ConfigException($"pipeline.stage-directory: {Path.GetFileName(path)} could not be loaded: {e.Message}");
            }
        }
    }

    /// <summary>The full path of the stage directory, or null.</summary>
    public string? StageDirectory { get; }

    /// <summary>Assemblies loaded from the stage directory (not counting ones the host already had).</summary>
    public IReadOnlyList<Assembly> DirectoryAssemblies => _directoryAssemblies;

    /// <summary>Checks one entry; throws <see cref="ConfigException"/> with one line naming the stage.</summary>
    public StageBlueprint Resolve(StageEntry entry)
    {
        string stage = entry.Name;
        if (string.IsNullOrEmpty(stage) || !Akka.Actor.ActorPath.IsValidPathElement(stage) || stage.StartsWith('$'))
        {
            throw ConfigException.Invalid("pipeline.stages[].name", stage, "a name of letters, digits and - _ (it names the stage's actor and its output)");
        }
        if (string.IsNullOrWhiteSpace(entry.Type))
        {
            throw new ConfigException($"stage '{stage}': type is missing (a full class name such as \"Eeg.Plugins.Examples.BandPowerStage\")");
        }
        Type type = FindType(entry.Type) ?? throw new ConfigException(
            $"stage '{stage}': type '{entry.Type}' not found in the host's assemblies or in {DirectoryDescription()}");

        if (!typeof(IStage).IsAssignableFrom(type))
        {
            bool lookalike = type.GetInterfaces().Any(i => i.FullName == typeof(IStage).FullName);
            throw new ConfigException(lookalike
                ? $"stage '{stage}': type '{type.FullName}' implements a different copy of {typeof(IStage).FullName} (from {type.GetInterfaces().First(i => i.FullName == typeof(IStage).FullName).Assembly.Location}); build it against the host's Shared.Messages"
                : $"stage '{stage}': type '{type.FullName}' is not a stage: it does not implement {typeof(IStage).FullName}");
        }
        if (type.IsAbstract || type.IsGenericTypeDefinition)
        {
            throw new ConfigException($"stage '{stage}': type '{type.FullName}' is abstract or generic; name a concrete class");
        }

        StageHostOptions options = StageHostOptions.FromSettings(stage, entry.Settings);
        (ConstructorInfo constructor, object? settings) = BindConstructor(entry, type);
        var blueprint = new StageBlueprint(entry, type, constructor, settings, options);

        // One trial instance: a constructor that rejects its settings (window-seconds = 0) fails now,
        // with the stage's name, instead of on the first frame with a restart loop.
        IStage trial;
        try
        {
            trial = blueprint.Create();
        }
        catch (Exception e)
        {
            throw new ConfigException($"stage '{stage}': {type.Name} rejected its settings: {e.Message}", e);
        }
        (trial as IDisposable)?.Dispose();
        return blueprint;
    }

    /// <summary>Checks every entry, failing on the first mistake; names must be unique.</summary>
    public IReadOnlyList<StageBlueprint> ResolveAll(IEnumerable<StageEntry> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<StageBlueprint>();
        foreach (StageEntry entry in entries)
        {
            if (!seen.Add(entry.Name)) throw new ConfigException($"stage '{entry.Name}': the name is used twice in pipeline.stages");
            result.Add(Resolve(entry));
        }
        return result;
    }

    private static (ConstructorInfo, object?) BindConstructor(StageEntry entry, Type type)
    {
        ConstructorInfo[] constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        ConstructorInfo? withSettings = constructors.FirstOrDefault(c => c.GetParameters() is [{ ParameterType: { IsClass: true } p }] && p != typeof(string));
        ConstructorInfo? parameterless = constructors.FirstOrDefault(c => c.GetParameters().Length == 0);
        if (withSettings is not null)
        {
            Type settingsType = withSettings.GetParameters()[0].ParameterType;
            return (withSettings, StageSettingsBinder.Bind(entry.Name, settingsType, entry.Settings));
        }
        if (parameterless is not null)
        {
            if (StageSettingsBinder.HasStageKeys(entry.Settings))
            {
                throw new ConfigException($"stage '{entry.Name}': {type.Name} takes no settings, but settings {{ {string.Join(", ", StageSettingsBinder.StageKeys(entry.Settings))} }} were given");
            }
            return (parameterless, null);
        }
        throw new ConfigException($"stage '{entry.Name}': {type.FullName} needs a public constructor with no parameters or with one settings object");
    }

    private Type? FindType(string fullName)
    {
        // An assembly-qualified name ("Ns.Type, Assembly") is taken as written.
        if (fullName.Contains(','))
        {
            try { return Type.GetType(fullName, throwOnError: false); }
            catch (Exception e) when (e is FileLoadException or BadImageFormatException) { return null; }
        }
        foreach (Assembly assembly in _directoryAssemblies)
        {
            if (assembly.GetType(fullName, throwOnError: false) is { } t) return t;
        }
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            if (assembly.GetType(fullName, throwOnError: false) is { } t) return t;
        }
        // A stage assembly the host references but has not loaded yet: by convention its name is a
        // prefix of the namespace (Eeg.Plugins.Examples.BandPowerStage lives in Eeg.Plugins.Examples).
        string prefix = fullName;
        for (int dot = prefix.LastIndexOf('.'); dot > 0; dot = prefix.LastIndexOf('.'))
        {
            prefix = prefix[..dot];
            try
            {
                Assembly assembly = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(prefix));
                if (assembly.GetType(fullName, throwOnError: false) is { } t) return t;
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                // not an assembly name; try a shorter prefix
            }
        }
        return null;
    }

    private string DirectoryDescription()
    {
        if (StageDirectory is null) return "pipeline.stage-directory (not set)";
        string names = _directoryAssemblies.Count == 0 ? "no stage assemblies" : string.Join(", ", _directoryAssemblies.Select(a => a.GetName().Name));
        return $"pipeline.stage-directory '{StageDirectory}' ({names})";
    }
}
