namespace Eeg.Tests.Gateway.Node.Support;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding hocon/reference.conf), found from the test's output folder.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "hocon", "reference.conf"))) return dir.FullName;
            }
            throw new InvalidOperationException("hocon/reference.conf not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ReferenceConf => Path.Combine(Root, "hocon", "reference.conf");
}

/// <summary>
/// Loads hocon/reference.conf the way a node must: Akka.NET's HOCON parser (1.5.74) mishandles
/// <c>key = ${?VAR}</c> overrides (an unset VAR empties the key and can drop the blocks after
/// it; a set one reads as null), so the environment overrides are applied as text first:
/// a set VAR becomes <c>key = "value"</c>, an unset one removes the line.
/// </summary>
public static class ReferenceConfig
{
    public static Akka.Configuration.Config Load(string? overrides = null)
    {
        string text = System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(RepoPaths.ReferenceConf),
            @"^(\s*)([\w.-]+)\s*=\s*\$\{\?(\w+)\}\s*$",
            m => Environment.GetEnvironmentVariable(m.Groups[3].Value) is string value
                ? $"{m.Groups[1].Value}{m.Groups[2].Value} = \"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\""
                : "",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        var reference = Akka.Configuration.ConfigurationFactory.ParseString(text);
        return overrides is null ? reference : Akka.Configuration.ConfigurationFactory.ParseString(overrides).WithFallback(reference);
    }
}
