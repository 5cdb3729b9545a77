namespace Eeg.Pipeline.Configuration;

/// <summary>
/// A node's command line: an optional command, then options.
/// <c>filter --in IN.csv --out OUT.csv --config lab.conf</c> gives Command "filter",
/// ConfigFile "lab.conf", Options { in, out }. No command means: run the node.
/// </summary>
/// <remarks>
/// Shapes: <c>--name value</c>, <c>--name=value</c>, and <c>--flag</c> (a boolean, stored as
/// "true") when the next token is another option or there is none. A token after the command
/// that is not an option value is a positional. <c>--</c> ends the options: the rest are
/// positionals. Anything else (<c>-x</c>, <c>---x</c>, an option given twice) is an
/// ArgumentException with one line. Tiny on purpose: four nodes and a handful of commands do
/// not need System.CommandLine.
/// </remarks>
public sealed record NodeCommandLine(
    string? Command,
    string? ConfigFile,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyList<string> Positionals)
{
    /// <summary>True when --<paramref name="name"/> was given as a flag or with a true value.</summary>
    public bool Flag(string name) =>
        Options.TryGetValue(name, out string? value) && (value == "true" || value == "on" || value == "yes");

    /// <summary>The value of --<paramref name="name"/>, or null.</summary>
    public string? Option(string name) => Options.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Parses the arguments of Main; throws ArgumentException with a one-line message.</summary>
    public static NodeCommandLine Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? command = null;
        string? configFile = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positionals = new List<string>();

        for (int i = 0; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                for (int j = i + 1; j < args.Length; j++) AddPositional(args[j]);
                break;
            }
            if (!token.StartsWith('-') || token == "-")
            {
                AddPositional(token);
                continue;
            }
            if (token is "-h" or "-?")
            {
                Add("help", "true");
                continue;
            }
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2 || token[2] == '-')
            {
                throw new ArgumentException($"'{token}' is not an option: options are --name value, --name=value or --flag");
            }

            string name;
            string? value;
            int equals = token.IndexOf('=');
            if (equals > 0)
            {
                name = token[2..equals];
                value = token[(equals + 1)..];
            }
            else
            {
                name = token[2..];
                // "--" and "--next" start another option; "-" and "-5" are values.
                bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                value = hasValue ? args[++i] : null;
            }
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))
            {
                throw new ArgumentException($"'{token}' is not an option: an option name has letters, digits, '-', '_' or '.'");
            }

            if (name == "config")
            {
                if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("--config needs a file: --config FILE");
                if (configFile is not null) throw new ArgumentException($"--config is given twice ('{configFile}' and '{value}')");
                configFile = value;
                continue;
            }
            Add(name, value ?? "true");
        }

        return new NodeCommandLine(command, configFile, options, positionals);

        void AddPositional(string token)
        {
            if (command is null) command = token;
            else positionals.Add(token);
        }

        void Add(string name, string value)
        {
            if (!options.TryAdd(name, value)) throw new ArgumentException($"--{name} is given twice ('{options[name]}' and '{value}')");
        }
    }
}
