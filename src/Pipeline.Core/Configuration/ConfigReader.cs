using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Eeg.Pipeline.Configuration;

/// <summary>
/// Typed reads of one HOCON object, each failing with <see cref="ConfigException.Invalid"/>
/// ("KEY = VALUE is not allowed: ALLOWED").
/// </summary>
/// <remarks>
/// Akka's typed getters are not used: on a wrong type they throw FormatException ("The input
/// string '12x' was not in a correct format"), ArgumentNullException (a list where a number
/// goes) or NotSupportedException, none naming the key; on a missing key they return 0 or
/// false. Here every value is read as text and parsed with the invariant culture.
/// </remarks>
internal sealed class ConfigReader
{
    private readonly Config _config;

    /// <param name="config">The object to read, e.g. the config at "pipeline.sinks.scope".</param>
    /// <param name="path">Its full path, to name keys in errors ("pipeline.sinks.scope").</param>
    public ConfigReader(Config config, string path)
    {
        _config = config;
        Path = path;
    }

    public string Path { get; }

    public string KeyOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _config.HasPath(key);

    public HoconValue? Raw(string key) => _config.HasPath(key) ? _config.GetValue(key) : null;

    /// <summary>The sub-object at <paramref name="key"/>, or an empty config when absent.</summary>
    public Config Object(string key, string allowed)
    {
        HoconValue? value = Raw(key);
        if (value is null) return Config.Empty;
        if (!value.IsObject()) throw ConfigException.Invalid(KeyOf(key), Shown(value), allowed);
        return _config.GetConfig(key);
    }

    public string String(string key, string allowed, string? fallback = null)
    {
        HoconValue? value = Raw(key);
        if (value is null)
        {
            if (fallback is not null) return fallback;
            throw ConfigException.Invalid(KeyOf(key), null, allowed);
        }
        if (!value.IsString()) throw ConfigException.Invalid(KeyOf(key), Shown(value), allowed);
        return value.GetString() ?? "";
    }

    public int Int(string key, string allowed, Func<int, bool> isAllowed, int? fallback = null)
    {
        HoconValue? raw = Raw(key);
        if (raw is null && fallback is not null) return fallback.Value;
        string text = String(key, allowed);
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || !isAllowed(value))
        {
            throw ConfigException.Invalid(KeyOf(key), Shown(raw!), allowed);
        }
        return value;
    }

    public double Double(string key, string allowed, Func<double, bool> isAllowed)
    {
        HoconValue? raw = Raw(key);
        string text = String(key, allowed);
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value) || !isAllowed(value))
        {
            throw ConfigException.Invalid(KeyOf(key), Shown(raw!), allowed);
        }
        return value;
    }

    /// <summary>HOCON booleans: on/off, true/false, yes/no.</summary>
    public bool Switch(string key)
    {
        const string allowed = "on or off (also true/false, yes/no)";
        HoconValue? raw = Raw(key);
        string text = String(key, allowed).Trim().ToLowerInvariant();
        return text switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw ConfigException.Invalid(KeyOf(key), Shown(raw!), allowed),
        };
    }

    /// <summary>One of a fixed set of words, e.g. simulated | ads1299 | replay.</summary>
    public T Choice<T>(string key, params (string Word, T Value)[] choices)
    {
        string allowed = string.Join(" | ", choices.Select(c => c.Word));
        HoconValue? raw = Raw(key);
        string text = String(key, allowed).Trim();
        foreach ((string word, T value) in choices)
        {
            if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase)) return value;
        }
        throw ConfigException.Invalid(KeyOf(key), Shown(raw!), allowed);
    }

    /// <summary>A HOCON duration ("5s", "250ms", "1 minute"; a bare number is milliseconds).</summary>
    public TimeSpan Duration(string key, string allowed, Func<TimeSpan, bool> isAllowed, TimeSpan? fallback = null)
    {
        HoconValue? raw = Raw(key);
        if (raw is null && fallback is not null) return fallback.Value;
        string text = String(key, allowed);
        if (!TryParseDuration(text, out TimeSpan value) || !isAllowed(value))
        {
            throw ConfigException.Invalid(KeyOf(key), Shown(raw!), allowed);
        }
        return value;
    }

    public IReadOnlyList<string> StringList(string key, string allowed)
    {
        HoconValue? value = Raw(key);
        if (value is null) return System.Array.Empty<string>();
        if (!IsList(value)) throw ConfigException.Invalid(KeyOf(key), Shown(value), allowed);
        var items = new List<string>();
        foreach (HoconValue item in Items(value))
        {
            if (!item.IsString()) throw ConfigException.Invalid(KeyOf(key), Shown(value), allowed);
            items.Add(item.GetString() ?? "");
        }
        return items;
    }

    /// <summary>The keys directly inside this object, in file order.</summary>
    public IReadOnlyList<string> Keys()
    {
        HoconValue root = _config.Root;
        return root.IsObject() ? root.GetObject().Items.Keys.ToArray() : System.Array.Empty<string>();
    }

    /// <summary>How a value shows in an error: numbers bare, text quoted, lists and objects by their shape.</summary>
    public static object Shown(HoconValue value)
    {
        if (value.IsObject()) return new Literal("{ ... }");
        if (IsList(value))
        {
            return new Literal("[" + string.Join(", ", Items(value).Select(i => Shown(i) is string s ? $"\"{s}\"" : Shown(i).ToString())) + "]");
        }
        string text = value.GetString() ?? "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
        {
            return new Literal(d.ToString("R", CultureInfo.InvariantCulture));
        }
        return text;
    }

    // Akka's HoconValue.IsArray() is false for [] (and IsString() too), so an empty list is
    // recognized by what the value holds.
    public static bool IsList(HoconValue value) =>
        value.IsArray() || (value.Values.Count > 0 && value.Values.All(v => v is HoconArray));

    public static IList<HoconValue> Items(HoconValue value) => value.IsArray() ? value.GetArray() : System.Array.Empty<HoconValue>();

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        string s = text.Trim();
        int split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.' || (split == 0 && s[split] == '-'))) split++;
        if (split == 0 || !double.TryParse(s.AsSpan(0, split), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return false;
        }
        double? ticksPerUnit = s[split..].Trim() switch
        {
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.TicksPerMillisecond,
            "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" => TimeSpan.TicksPerMillisecond / 1e6,
            "us" or "micro" or "micros" or "microsecond" or "microseconds" => TimeSpan.TicksPerMillisecond / 1e3,
            "s" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "m" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "h" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            _ => null,
        };
        if (ticksPerUnit is null) return false;
        double ticks = number * ticksPerUnit.Value;
        if (!double.IsFinite(ticks) || Math.Abs(ticks) > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <summary>A value shown as is (not quoted) in an error.</summary>
    private sealed record Literal(string Text)
    {
        public override string ToString() => Text;
    }
}
