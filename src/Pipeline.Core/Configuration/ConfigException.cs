namespace Eeg.Pipeline.Configuration;

/// <summary>
/// A configuration mistake. The message is one line that names the key, the value and what is
/// allowed; nodes print it and exit with code 2, never with a stack trace.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message) : base(message) { }
    public ConfigException(string message, Exception inner) : base(message, inner) { }

    /// <summary>"pipeline.channels = 12 is not allowed: a multiple of 8 from 8 to 32".</summary>
    public static ConfigException Invalid(string key, object? value, string allowed) =>
        new($"{key} = {Format(value)} is not allowed: {allowed}");

    private static string Format(object? value) => value switch
    {
        null => "(missing)",
        string s => $"\"{Escape(s)}\"",
        _ => value.ToString() ?? "",
    };

    // The message stays one line whatever the value holds.
    private static string Escape(string s) =>
        s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
}
