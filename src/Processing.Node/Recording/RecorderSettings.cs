using System.Globalization;
using Akka.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Processing.Recording;

/// <summary>The output formats a recording can have.</summary>
public enum RecordingFormat { Bdf, Csv }

/// <summary>
/// The recorder's settings, read once from the <c>recorder</c> block of HOCON (hocon/reference.conf
/// comments every key). Immutable; <see cref="FromConfig"/> fails with a <see cref="ConfigException"/>
/// naming the key, the value and what is allowed.
/// </summary>
public sealed record RecorderSettings(
    bool Enabled,
    string Directory,
    IReadOnlyList<RecordingFormat> Formats,
    string FileNamePattern,
    TimeSpan RecordDuration,
    double BufferSeconds,
    TimeSpan StallTimeout,
    TimeSpan CheckpointInterval)
{
    /// <summary>Start a recording as soon as the stream starts (unattended runs, replays to convert).</summary>
    public bool AutoStart { get; init; }

    public static RecorderSettings Default { get; } = new(
        true, "recordings", new[] { RecordingFormat.Bdf, RecordingFormat.Csv }, "{date}_{time}_{subject}_{session}",
        TimeSpan.FromSeconds(1), 4, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

    /// <summary>The tokens a file name pattern may use.</summary>
    public static IReadOnlyList<string> PatternTokens { get; } = new[] { "{date}", "{time}", "{subject}", "{session}" };

    /// <summary>Reads the <c>recorder</c> block of a configuration (a root config, or the block itself when <paramref name="isBlock"/>).</summary>
    public static RecorderSettings FromConfig(Config config, bool isBlock = false)
    {
        Config c = isBlock ? config : config.GetConfig("recorder") ?? throw ConfigException.Invalid("recorder", null, "a recorder { ... } block (see hocon/reference.conf)");
        bool enabled = Bool(c, "enabled", Default.Enabled);
        string directory = String(c, "directory", Default.Directory);
        if (string.IsNullOrWhiteSpace(directory)) throw ConfigException.Invalid("recorder.directory", directory, "a folder path (created if missing)");

        IReadOnlyList<RecordingFormat> formats = Default.Formats;
        if (c.HasPath("formats"))
        {
            IList<string> raw;
            try { raw = c.GetStringList("formats"); }
            catch (Exception) { throw ConfigException.Invalid("recorder.formats", Raw(c, "formats"), "a list of bdf and csv, e.g. [bdf, csv]"); }
            var list = new List<RecordingFormat>();
            foreach (string f in raw)
            {
                RecordingFormat format = f.Trim().ToLowerInvariant() switch
                {
                    "bdf" => RecordingFormat.Bdf,
                    "csv" => RecordingFormat.Csv,
                    _ => throw ConfigException.Invalid("recorder.formats", f, "bdf or csv, e.g. [bdf, csv]"),
                };
                if (list.Contains(format)) throw ConfigException.Invalid("recorder.formats", f, "each format once");
                list.Add(format);
            }
            if (list.Count == 0) throw ConfigException.Invalid("recorder.formats", "[]", "at least one of bdf and csv");
            formats = list;
        }

        string pattern = String(c, "file-name-pattern", Default.FileNamePattern);
        ValidatePattern(pattern);

        TimeSpan record = Duration(c, "record-duration", Default.RecordDuration);
        if (record <= TimeSpan.Zero || record > TimeSpan.FromSeconds(60))
        {
            throw ConfigException.Invalid("recorder.record-duration", Raw(c, "record-duration"), "a duration above 0 and at most 60s, e.g. 1s");
        }

        double buffer = Double(c, "buffer-seconds", Default.BufferSeconds);
        if (!(buffer >= 3 && buffer <= 120))
        {
            throw ConfigException.Invalid("recorder.buffer-seconds", Raw(c, "buffer-seconds"), "seconds from 3 to 120 (3 s covers an SD card's 2 s stall)");
        }

        TimeSpan stall = Duration(c, "stall-timeout", Default.StallTimeout);
        if (stall <= TimeSpan.Zero || stall > TimeSpan.FromMinutes(5))
        {
            throw ConfigException.Invalid("recorder.stall-timeout", Raw(c, "stall-timeout"), "a duration above 0 and at most 5m, e.g. 2s");
        }

        TimeSpan checkpoint = Duration(c, "checkpoint-interval", Default.CheckpointInterval);
        if (checkpoint < TimeSpan.FromMilliseconds(50) || checkpoint > TimeSpan.FromMinutes(1))
        {
            throw ConfigException.Invalid("recorder.checkpoint-interval", Raw(c, "checkpoint-interval"), "a duration from 50ms to 1m, e.g. 1s");
        }

        string autoStart = String(c, "auto-start", "off");
        if (autoStart is not ("on" or "off" or "true" or "false" or "yes" or "no"))
        {
            throw ConfigException.Invalid("recorder.auto-start", autoStart, "on or off");
        }
        return new RecorderSettings(enabled, directory, formats, pattern, record, buffer, stall, checkpoint)
        {
            AutoStart = autoStart is "on" or "true" or "yes",
        };
    }

    /// <summary>Samples per BDF record at a rate; fails with a config error when the duration does not hold a whole number of samples.</summary>
    public int RecordSamples(int sampleRate)
    {
        double exact = RecordDuration.TotalSeconds * sampleRate;
        long samples = (long)Math.Round(exact);
        if (samples < 1 || Math.Abs(exact - samples) > 1e-6)
        {
            throw ConfigException.Invalid("recorder.record-duration", RecordDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s",
                $"a duration holding a whole number of samples at {sampleRate} SPS, e.g. 1s");
        }
        return checked((int)samples);
    }

    /// <summary>The file name (without extension) for a recording started at <paramref name="startUtc"/>.</summary>
    public string FileName(DateTime startUtc, string? subject, string? session) => FileNamePattern
        .Replace("{date}", startUtc.ToString("yyyyMMdd", CultureInfo.InvariantCulture))
        .Replace("{time}", startUtc.ToString("HHmmss", CultureInfo.InvariantCulture))
        .Replace("{subject}", Safe(subject, "nosubject"))
        .Replace("{session}", Safe(session, "nosession"));

    /// <summary>Keeps letters, digits, '-' and '_' so a subject code can never leave the directory or break a name.</summary>
    public static string Safe(string? value, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        var chars = value.Trim().Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray();
        return new string(chars);
    }

    private static void ValidatePattern(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw ConfigException.Invalid("recorder.file-name-pattern", pattern, "a file name using {date} {time} {subject} {session}");
        string rest = pattern;
        foreach (string token in PatternTokens) rest = rest.Replace(token, "");
        if (rest.Contains('{') || rest.Contains('}'))
        {
            throw ConfigException.Invalid("recorder.file-name-pattern", pattern, "only the tokens {date} {time} {subject} {session}");
        }
        if (rest.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || rest.Contains('/') || rest.Contains('\\'))
        {
            throw ConfigException.Invalid("recorder.file-name-pattern", pattern, "a file name without path separators or invalid characters");
        }
        if (!pattern.Contains("{time}"))
        {
            throw ConfigException.Invalid("recorder.file-name-pattern", pattern, "a pattern containing {time}, so two recordings do not get the same name");
        }
    }

    private static string? Raw(Config c, string key)
    {
        try { return c.HasPath(key) ? c.GetValue(key)?.ToString() : null; }
        catch (Exception) { return null; }
    }

    private static bool Bool(Config c, string key, bool fallback)
    {
        if (!c.HasPath(key)) return fallback;
        string? raw = Raw(c, key)?.Trim().ToLowerInvariant();
        return raw switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw ConfigException.Invalid("recorder." + key, raw, "on or off"),
        };
    }

    private static string String(Config c, string key, string fallback)
    {
        if (!c.HasPath(key)) return fallback;
        try { return c.GetString(key) ?? fallback; }
        catch (Exception) { throw ConfigException.Invalid("recorder." + key, Raw(c, key), "a string"); }
    }

    private static double Double(Config c, string key, double fallback)
    {
        if (!c.HasPath(key)) return fallback;
        string? raw = Raw(c, key);
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw ConfigException.Invalid("recorder." + key, raw, "a number");
    }

    private static TimeSpan Duration(Config c, string key, TimeSpan fallback)
    {
        if (!c.HasPath(key)) return fallback;
        string? raw = Raw(c, key);
        try { return c.GetTimeSpan(key, fallback, allowInfinite: false); }
        catch (Exception) { throw ConfigException.Invalid("recorder." + key, raw, "a duration such as 1s or 250ms"); }
    }
}
