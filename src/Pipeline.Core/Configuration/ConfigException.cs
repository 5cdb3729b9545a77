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
        string s => $"\"{s}\"",
        _ => value.ToString() ?? "",
    };
}
