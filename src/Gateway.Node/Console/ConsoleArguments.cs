using System.Globalization;

namespace Eeg.Gateway.ClusterConsole;

/// <summary>
/// The cluster console's command line (docs/api.md): <c>VERB [ARGS] [--url URL] [--token T] [--json]</c>
/// plus the verb's own options. Parse throws <see cref="ArgumentException"/> with one line that says
/// what is wrong and what is allowed; the caller prints it and exits with 2.
/// </summary>
public sealed record ConsoleArguments
{
    public const string DefaultUrl = "http://127.0.0.1:5080/";

    /// <summary>The first arguments that select the console rather than a gateway node.</summary>
    public static IReadOnlySet<string> Verbs { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "console", "status", "nodes", "record", "marker", "stage", "impedance", "filters", "leave",
    };

    private static readonly Dictionary<string, string> Usage = new(StringComparer.Ordinal)
    {
        ["console"] = "console [--once] [--url URL]",
        ["status"] = "status [--json] [--url URL]",
        ["nodes"] = "nodes [--json] [--url URL]",
        ["record"] = "record start [--subject S] [--session S] | record stop   [--json] [--url URL] [--token T]",
        ["marker"] = "marker TEXT [--json] [--url URL] [--token T]",
        ["stage"] = "stage restart|stop|start NAME [--json] [--url URL] [--token T]",
        ["impedance"] = "impedance on|off [--json] [--url URL] [--token T]",
        ["filters"] = "filters [--highpass HZ] [--lowpass HZ] [--notch HZ] [--json] [--url URL] [--token T]",
        ["leave"] = "leave ADDRESS [--json] [--url URL] [--token T]",
    };

    // Options each verb takes besides --url, --token and --json.
    private static readonly Dictionary<string, string[]> VerbOptions = new(StringComparer.Ordinal)
    {
        ["console"] = ["--once"],
        ["record"] = ["--subject", "--session"],
        ["filters"] = ["--highpass", "--lowpass", "--notch"],
    };

    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "--json", "--once" };

    public required string Verb { get; init; }
    /// <summary>The verb's words: record's start|stop, stage's action and name, marker's text, ...</summary>
    public IReadOnlyList<string> Words { get; init; } = [];
    public required Uri Url { get; init; }
    /// <summary>The control token from --token, EEG_CONTROL_TOKEN or the token file; null when none was found.</summary>
    public string? Token { get; init; }
    public bool Json { get; init; }
    public bool Once { get; init; }
    public string? Subject { get; init; }
    public string? Session { get; init; }
    public double? HighpassHz { get; init; }
    public double? LowpassHz { get; init; }
    public double? NotchHz { get; init; }

    /// <summary>The usage line of a verb.</summary>
    public static string UsageOf(string verb) => "usage: Gateway.Node " + (Usage.TryGetValue(verb, out string? u) ? u : string.Join("|", Verbs) + " ... (docs/api.md)");

    /// <param name="environment">Reads an environment variable (EEG_GATEWAY_URL, EEG_CONTROL_TOKEN, HOME).</param>
    public static ConsoleArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (args.Count == 0 || !Verbs.Contains(args[0])) throw new ArgumentException($"unknown command '{(args.Count == 0 ? "" : args[0])}'; {UsageOf("")}");
        string verb = args[0];
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new List<string>();
        string[] allowed = ["--url", "--token", .. verb is "console" ? Array.Empty<string>() : ["--json"], .. VerbOptions.GetValueOrDefault(verb, [])];
        for (int i = 1; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                words.Add(a);
                continue;
            }
            string name = a, value;
            int eq = a.IndexOf('=');
            if (eq > 0)
            {
                name = a[..eq];
                value = a[(eq + 1)..];
            }
            else if (Flags.Contains(a))
            {
                value = "true";
            }
            else
            {
                if (i + 1 >= args.Count) throw Bad(verb, $"{a} needs a value");
                value = args[++i];
            }
            if (!allowed.Contains(name)) throw Bad(verb, $"unknown option {name} for {verb} (allowed: {string.Join(", ", allowed)})");
            if (options.ContainsKey(name)) throw Bad(verb, $"{name} is given twice");
            options[name] = value;
        }

        CheckWords(verb, words);
        string urlText = options.GetValueOrDefault("--url") ?? NonEmpty(environment("EEG_GATEWAY_URL")) ?? DefaultUrl;
        if (!Uri.TryCreate(urlText.Contains("://", StringComparison.Ordinal) ? urlText : "http://" + urlText, UriKind.Absolute, out Uri? url)
            || url.Scheme is not ("http" or "https"))
        {
            throw Bad(verb, $"--url {urlText} is not an http:// or https:// address (e.g. {DefaultUrl})");
        }
        return new ConsoleArguments
        {
            Verb = verb,
            Words = words,
            Url = url,
            Token = NonEmpty(options.GetValueOrDefault("--token")) ?? NonEmpty(environment("EEG_CONTROL_TOKEN")) ?? ReadTokenFile(environment),
            Json = options.ContainsKey("--json"),
            Once = options.ContainsKey("--once"),
            Subject = options.GetValueOrDefault("--subject"),
            Session = options.GetValueOrDefault("--session"),
            HighpassHz = Hz(verb, options, "--highpass"),
            LowpassHz = Hz(verb, options, "--lowpass"),
            NotchHz = Hz(verb, options, "--notch"),
        };
    }

    private static void CheckWords(string verb, List<string> words)
    {
        switch (verb)
        {
            case "console" or "status" or "nodes" or "filters":
                if (words.Count > 0) throw Bad(verb, $"{verb} takes no argument '{words[0]}'");
                break;
            case "record":
                if (words.Count != 1 || words[0] is not ("start" or "stop")) throw Bad(verb, "record needs start or stop");
                break;
            case "marker":
                if (words.Count == 0 || string.IsNullOrWhiteSpace(string.Join(' ', words))) throw Bad(verb, "marker needs a text");
                break;
            case "stage":
                if (words.Count != 2 || words[0] is not ("restart" or "stop" or "start")) throw Bad(verb, "stage needs restart, stop or start and a stage name");
                break;
            case "impedance":
                if (words.Count != 1 || words[0] is not ("on" or "off")) throw Bad(verb, "impedance needs on or off");
                break;
            case "leave":
                if (words.Count != 1) throw Bad(verb, "leave needs the node's address (e.g. akka.tcp://eeg@127.0.0.1:4054; `nodes` lists them)");
                break;
        }
    }

    private static double? Hz(string verb, Dictionary<string, string> options, string name)
    {
        if (!options.TryGetValue(name, out string? text)) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double hz) || !double.IsFinite(hz) || hz < 0)
        {
            throw Bad(verb, $"{name} {text} is not allowed: a frequency in Hz, 0 or more (0 = off)");
        }
        return hz;
    }

    /// <summary>
    /// The gateway's gateway.control-token-file: EEG_CONTROL_TOKEN_FILE as the gateway reads it, else its
    /// default ~/.config/eeg/control-token; null when absent or unreadable.
    /// </summary>
    private static string? ReadTokenFile(Func<string, string?> environment)
    {
        string? home = NonEmpty(environment("HOME"));
        string? path = NonEmpty(environment("EEG_CONTROL_TOKEN_FILE"));
        if (path is not null && path.StartsWith("~/", StringComparison.Ordinal)) path = home is null ? null : Path.Combine(home, path[2..]);
        path ??= home is null ? null : Path.Combine(home, ".config", "eeg", "control-token");
        if (path is null) return null;
        try
        {
            return File.Exists(path) ? NonEmpty(File.ReadAllText(path).Trim()) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static ArgumentException Bad(string verb, string what) => new($"{what}; {UsageOf(verb)}");
}
