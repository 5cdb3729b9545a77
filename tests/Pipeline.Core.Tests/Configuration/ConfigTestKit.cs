using Akka.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Pipeline.Core.Configuration;

/// <summary>Tests that change the process environment run one at a time, apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}

internal static class ConfigTestKit
{
    /// <summary>An empty environment, so that a machine's own EEG_* variables cannot change a test.</summary>
    public static readonly Func<string, string?> NoEnvironment = _ => null;

    public static Config Load(string? file = null, string? extra = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigLoader.Load(file, extra, environment is null ? NoEnvironment : name => environment.GetValueOrDefault(name));

    public static PipelineSettings Settings(string extra) => PipelineSettings.FromConfig(Load(extra: extra));

    /// <summary>The message of the ConfigException that reading <paramref name="extra"/> over the defaults throws.</summary>
    public static string ErrorOf(string extra) => Assert.Throws<ConfigException>(() => Settings(extra)).Message;

    public static string TempFile(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"eeg-config-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>hocon/reference.conf of the repository this test was built from.</summary>
    public static string RepositoryReferenceConf()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "hocon", "reference.conf");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("hocon/reference.conf not found above " + AppContext.BaseDirectory);
    }
}
