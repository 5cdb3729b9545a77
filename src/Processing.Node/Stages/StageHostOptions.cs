using Akka.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Processing.Stages;

/// <summary>
/// How the host runs one stage: its restart budget and back-off, and how often its outputs are
/// forwarded. Read from reserved keys of the stage's own <c>settings { }</c> block (the stage's settings
/// class never sees them), so every stage can tune them without a new field in the stage entry.
/// </summary>
/// <param name="MaxRestarts">Restarts allowed within <paramref name="RestartWindow"/>; one more failure stops the stage and marks it failed (<c>max-restarts</c>, default 10).</param>
/// <param name="RestartWindow">The sliding window the restarts are counted in (<c>restart-window</c>, default 1 min).</param>
/// <param name="BackoffMin">Pause before the first restart in a window; doubled for each further one (<c>restart-backoff</c>, default 100 ms).</param>
/// <param name="BackoffMax">Longest pause between restarts (<c>restart-backoff-max</c>, default 10 s).</param>
/// <param name="PublishInterval">Shortest time between two forwards of one output (<c>publish-interval</c>, default 100 ms: at most ~10 per second).</param>
public sealed record StageHostOptions(int MaxRestarts, TimeSpan RestartWindow, TimeSpan BackoffMin, TimeSpan BackoffMax, TimeSpan PublishInterval)
{
    /// <summary>The reserved keys, as written in HOCON.</summary>
    public static readonly IReadOnlyList<string> ReservedKeys = ["max-restarts", "restart-window", "restart-backoff", "restart-backoff-max", "publish-interval"];

    public static StageHostOptions Default { get; } = new(10, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

    /// <summary>The pause before restart number <paramref name="restartsInWindow"/> (1-based) of the current window.</summary>
    public TimeSpan BackoffFor(int restartsInWindow)
    {
        if (restartsInWindow < 1 || BackoffMin <= TimeSpan.Zero) return TimeSpan.Zero;
        // Exponential: 100 ms, 200 ms, 400 ms ... capped; a stage that fails on its first frame does
        // not spin through its whole budget in a millisecond, and one that fails rarely restarts fast.
        double ticks = BackoffMin.Ticks * Math.Pow(2, Math.Min(restartsInWindow - 1, 30));
        return ticks >= BackoffMax.Ticks ? BackoffMax : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Reads the reserved keys from a stage's settings block; fails with one line naming the stage and key.</summary>
    public static StageHostOptions FromSettings(string stageName, Config settings)
    {
        StageHostOptions d = Default;
        if (settings.IsEmpty) return d;
        int maxRestarts = ReadInt(stageName, settings, "max-restarts", d.MaxRestarts);
        if (maxRestarts < 0) throw StageSettingsBinder.Invalid(stageName, "max-restarts", maxRestarts, "0 or more");
        TimeSpan window = ReadDuration(stageName, settings, "restart-window", d.RestartWindow);
        TimeSpan backoff = ReadDuration(stageName, settings, "restart-backoff", d.BackoffMin);
        TimeSpan backoffMax = ReadDuration(stageName, settings, "restart-backoff-max", d.BackoffMax);
        TimeSpan publish = ReadDuration(stageName, settings, "publish-interval", d.PublishInterval);
        if (window <= TimeSpan.Zero) throw StageSettingsBinder.Invalid(stageName, "restart-window", window, "a positive duration such as 1m");
        if (backoffMax < backoff) throw StageSettingsBinder.Invalid(stageName, "restart-backoff-max", backoffMax, $"at least restart-backoff ({backoff})");
        return new StageHostOptions(maxRestarts, window, backoff, backoffMax, publish);
    }

    private static int ReadInt(string stage, Config settings, string key, int fallback)
    {
        if (!settings.HasPath(key)) return fallback;
        try { return settings.GetInt(key); }
        catch (Exception e) when (e is not ConfigException) { throw StageSettingsBinder.Invalid(stage, key, settings.GetString(key), "a whole number"); }
    }

    private static TimeSpan ReadDuration(string stage, Config settings, string key, TimeSpan fallback)
    {
        if (!settings.HasPath(key)) return fallback;
        try
        {
            TimeSpan value = settings.GetTimeSpan(key, fallback, allowInfinite: false);
            if (value < TimeSpan.Zero) throw new FormatException();
            return value;
        }
        catch (Exception e) when (e is not ConfigException)
        {
            throw StageSettingsBinder.Invalid(stage, key, settings.GetString(key), "a duration such as 100ms, 5s or 1m");
        }
    }
}
