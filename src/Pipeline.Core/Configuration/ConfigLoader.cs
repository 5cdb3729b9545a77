using System.Text;
using Akka.Configuration;

namespace Eeg.Pipeline.Configuration;

/// <summary>
/// Reads a node's configuration: the embedded hocon/reference.conf, the file given with
/// --config, the environment and text from the command line, each layer overriding only the
/// keys it names. Every mistake is a <see cref="ConfigException"/> with one line.
/// </summary>
/// <remarks>
/// Layers, the last one wins:
/// <list type="number">
/// <item>reference.conf, embedded in Pipeline.Core (every key, with its default);</item>
/// <item>the config file (--config FILE, or the file named by EEG_CONFIG when no --config is given);</item>
/// <item>EEG_CONFIG_OVERRIDES: HOCON text, for any key (e.g. <c>pipeline.dsp.notch.frequency-hz = 60</c>);</item>
/// <item>the variables of <see cref="EnvironmentOverrides"/>: every <c>key = ${?VAR}</c> line of
/// reference.conf (EEG_SOURCE, EEG_CHANNELS, ...);</item>
/// <item>extraHocon: text the node builds from its command line.</item>
/// </list>
/// The environment sits above the file so that a systemd unit or a container can change one
/// setting of a shared lab file without editing it. Akka.NET 1.5.74's HOCON parser does not
/// resolve <c>${?VAR}</c> from the environment (it yields an empty value and loses the default;
/// ConfigLoaderTests shows it), so <see cref="HoconSyntax"/> resolves <c>key = ${?VAR}</c> before
/// Akka parses a text, and reference.conf's such lines become the table above. A
/// <c>key = ${?VAR}</c> in a config file is resolved in that file's layer, as HOCON says.
/// Akka's own reference.conf is not added here: the node adds it when it builds its ActorSystem.
/// </remarks>
public static class ConfigLoader
{
    /// <summary>Environment variable naming a config file, used when no file is passed.</summary>
    public const string ConfigFileVariable = "EEG_CONFIG";

    /// <summary>Environment variable holding HOCON text layered over the config file.</summary>
    public const string OverridesVariable = "EEG_CONFIG_OVERRIDES";

    /// <summary>The name the embedded reference.conf has in Pipeline.Core's manifest.</summary>
    public const string ReferenceResourceName = "Eeg.Pipeline.reference.conf";

    private static readonly Lazy<string> s_referenceText = new(ReadReferenceText);
    private static readonly Lazy<HoconSyntax.Resolved> s_referenceResolved =
        new(() => HoconSyntax.Resolve(s_referenceText.Value, "the embedded reference.conf", _ => null));
    private static readonly Lazy<Config> s_reference = new(() => ParseResolved(s_referenceResolved.Value.Text, "the embedded reference.conf"));

    /// <summary>
    /// The environment variables that set one key each: every <c>key = ${?VAR}</c> line of
    /// reference.conf, outside lists. A role that needs one more (seed nodes, hostname, port)
    /// adds such a line to its block of reference.conf; any other key can be set through
    /// EEG_CONFIG_OVERRIDES.
    /// </summary>
    public static IReadOnlyList<EnvironmentOverride> EnvironmentOverrides => s_referenceResolved.Value.Variables;

    /// <summary>The text of hocon/reference.conf as embedded in this assembly.</summary>
    public static string ReferenceText => s_referenceText.Value;

    /// <summary>reference.conf alone: every key at its default.</summary>
    public static Config Reference => s_reference.Value;

    /// <summary>Loads the layers from the process environment (see the remarks of the class).</summary>
    public static Config Load(string? configFile = null, string? extraHocon = null) =>
        Load(configFile, extraHocon, Environment.GetEnvironmentVariable);

    /// <summary>Loads the layers with <paramref name="environment"/> as the environment (tests pass a dictionary).</summary>
    public static Config Load(string? configFile, string? extraHocon, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Config config = Reference;

        string? file = configFile ?? NullIfEmpty(environment(ConfigFileVariable));

        if (file is not null) config = ParseFile(file, environment).WithFallback(config);

        string? overrides = NullIfEmpty(environment(OverridesVariable));
        if (overrides is not null) config = Parse(overrides, $"the environment variable {OverridesVariable}", environment).WithFallback(config);

        string? variables = EnvironmentText(environment);
        if (variables is not null) config = Parse(variables, "the EEG_* environment variables", environment).WithFallback(config);

        if (!string.IsNullOrWhiteSpace(extraHocon)) config = Parse(extraHocon, "the command-line settings", environment).WithFallback(config);
        return config;
    }

    /// <summary>
    /// Parses one HOCON text; <paramref name="source"/> names it in the error ("config file X").
    /// Its <c>key = ${?VAR}</c> fields are resolved from <paramref name="environment"/> (default: the process's).
    /// </summary>
    public static Config Parse(string text, string source, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string resolved = HoconSyntax.Resolve(text, source, environment ?? Environment.GetEnvironmentVariable).Text;
        return ParseResolved(resolved, source);
    }

    private static Config ParseResolved(string text, string source)
    {
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            // Only reached for what the syntax check lets through, e.g. ${a.b} naming a key that
            // is not in the same text (each layer is parsed on its own).
            throw new ConfigException($"{source} is not valid HOCON: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>Reads and parses a config file: "config file X not found" or "config file X is not valid HOCON: line L, column C: ...".</summary>
    public static Config ParseFile(string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ConfigException($"config file {path} not found");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config file {path} cannot be read: {FirstLine(e.Message)}", e);
        }
        return Parse(text, $"config file {path}", environment);
    }

    private static string? EnvironmentText(Func<string, string?> environment)
    {
        StringBuilder? text = null;
        foreach (EnvironmentOverride o in EnvironmentOverrides)
        {
            string? value = environment(o.Variable);
            if (value is null) continue;
            text ??= new StringBuilder();
            text.Append(o.Key).Append(" = ").Append(Quote(value.Trim())).Append('\n');
        }
        return text?.ToString();
    }

    // A quoted HOCON string, so that a value can never inject syntax into the layer.
    internal static string Quote(string value)
    {
        var s = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) s.Append("\\u").Append(((int)c).ToString("X4"));
                    else s.Append(c);
                    break;
            }
        }
        return s.Append('"').ToString();
    }

    private static string ReadReferenceText()
    {
        using Stream? stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream(ReferenceResourceName);
        if (stream is null) throw new InvalidOperationException($"{ReferenceResourceName} is not embedded in Pipeline.Core (see its csproj)");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string FirstLine(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
