using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Eeg.Shared.Frames;

namespace Eeg.Pipeline.Configuration;

/// <summary>
/// Everything under <c>pipeline</c> in HOCON, read once and checked. hocon/reference.conf
/// says what each key does; this class says what each key allows.
/// </summary>
/// <remarks>
/// <see cref="FromConfig"/> fails on the first bad value with one line naming the key, the
/// value and what is allowed (<see cref="ConfigException.Invalid"/>). Keys under
/// <c>pipeline</c> that reference.conf does not have are refused too, so that a typo
/// (<c>pipeline.chanels = 16</c>) cannot silently leave the default in place: a role that
/// needs a new key adds it, with its sentence, to reference.conf.
/// </remarks>
public sealed class PipelineSettings
{
    /// <summary>Slabs allocated on top of the ring and the sink queues (see <see cref="AutomaticSlabCount"/>).</summary>
    public const int SlabHeadroom = 16;

    /// <summary>The most memory the slab pool may take; a Raspberry Pi 5 has 4 or 8 GB in all.</summary>
    public const long MaxSlabPoolBytes = 1L << 30;

    private const string NameAllowed = "letters, digits, '-' and '_', starting with a letter or digit";
    private static readonly string[] s_sinkKeys = ["policy", "capacity", "lossless-timeout", "decimate-factor"];
    private static readonly string[] s_stageKeys = ["name", "type", "policy", "capacity", "decimate-factor", "settings", "lossless-timeout"];
    private static readonly int[] s_sampleRates = [250, 500, 1000, 2000, 4000, 8000, 16000];
    private static readonly int[] s_gains = [1, 2, 4, 6, 8, 12, 24];

    private PipelineSettings() { }

    public SourceKind Source { get; private init; }
    public int Channels { get; private set; }
    public int SampleRate { get; private set; }
    public int FrameSamples { get; private init; }
    public int RingSize { get; private init; }
    public WaitStrategyKind WaitStrategy { get; private init; }

    /// <summary>Slabs to allocate: pipeline.slab-count, or the automatic size when it is 0.</summary>
    public int SlabCount { get; private set; }

    /// <summary>True when pipeline.slab-count = 0 and <see cref="SlabCount"/> was computed.</summary>
    public bool SlabCountIsAutomatic { get; private init; }

    public int Gain { get; private set; }
    public double ReferenceVolts { get; private set; }

    /// <summary>One label per channel: pipeline.channel-names, or the default 10-20 names.</summary>
    public IReadOnlyList<string> ChannelNames { get; private set; } = [];

    public TimeSpan StatusInterval { get; private init; }
    public SimulatedSettings Simulated { get; private init; } = null!;
    public ReplaySettings Replay { get; private init; } = null!;

    /// <summary>pipeline.ads1299: the amplifier's wiring and register choices (read whatever the source).</summary>
    public Ads1299Settings Ads1299 { get; private init; } = null!;
    public DspSettings Dsp { get; private init; } = null!;

    /// <summary>The local sinks of the fan-out, in file order (reference.conf's first).</summary>
    public IReadOnlyList<SinkSettings> Sinks { get; private init; } = [];

    /// <summary>The research stages, in list order.</summary>
    public IReadOnlyList<StageEntry> Stages { get; private init; } = [];

    /// <summary>Folder of stage assemblies to load at start; empty: none.</summary>
    public string StageDirectory { get; private init; } = "";

    /// <summary>Microvolts per ADC count: 2 * Vref / gain / 2^24 (ADS1299 datasheet, 9.3.1).</summary>
    public double MicrovoltsPerCount => 2.0 * ReferenceVolts / Gain / (1 << 24) * 1e6;

    /// <summary>Bytes of one slab: counts and microvolts per sample and channel, one DRDY timestamp per sample.</summary>
    public long SlabBytes => SlabBytesFor(Channels, FrameSamples);

    /// <summary>The settings of reference.conf alone.</summary>
    public static PipelineSettings Default => FromConfig(ConfigLoader.Reference);

    /// <summary>
    /// These settings for a stream whose shape comes from elsewhere (a replayed file has its own
    /// channels, rate, gain and labels): everything else stays as configured.
    /// </summary>
    public PipelineSettings ForStream(int channels, int sampleRate, IReadOnlyList<string> channelNames, int gain, double referenceVolts)
    {
        var copy = (PipelineSettings)MemberwiseClone();
        copy.Channels = channels;
        copy.SampleRate = sampleRate;
        copy.ChannelNames = channelNames;
        copy.Gain = gain;
        copy.ReferenceVolts = referenceVolts;
        return copy;
    }

    /// <summary>The sink named <paramref name="name"/>, or null.</summary>
    public SinkSettings? Sink(string name) => Sinks.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// The same settings with slabs for more sink queues than pipeline.sinks names (the remote sinks a
    /// cluster node adds), so that they cannot starve the reader; unchanged when slab-count is explicit.
    /// </summary>
    public PipelineSettings WithSlabsForQueues(IEnumerable<int> capacities)
    {
        if (!SlabCountIsAutomatic) return this;
        var copy = (PipelineSettings)MemberwiseClone();
        copy.SlabCount = SlabCount + capacities.Sum(c => c + 1);
        return copy;
    }

    /// <summary>
    /// Slabs needed so that sinks holding frames never starve the reader: every ring slot full,
    /// every sink and stage queue full plus the frame each one is working on, plus
    /// <see cref="SlabHeadroom"/> for the reader's frame in hand, the DSP's, and the fan-out.
    /// </summary>
    /// <remarks>
    /// A sum, not a maximum, because sinks can hold different frames (a lossless recorder the
    /// oldest, a drop-oldest scope the newest). With the defaults (ring 1024, scope 4, recorder 1):
    /// 1024 + 5 + 2 + 16 = 1047 slabs of 264 bytes at 32 channels and 1-sample frames, 270 kB;
    /// the ring's share dominates, and the ring is what absorbs a DSP stall.
    /// </remarks>
    public static int AutomaticSlabCount(int ringSize, IEnumerable<int> queueCapacities) =>
        ringSize + queueCapacities.Sum(c => c + 1) + SlabHeadroom;

    /// <summary>
    /// One second of frames, rounded up to a power of two, at least 16: 4096 slots at 4 kSPS with
    /// 1-sample frames, 16 with 400-sample frames. In time, not in slots, because what the ring must
    /// ride out is a stall of the DSP thread (measured up to 800 ms on the shared test machines), and
    /// because a fixed slot count would cost 400 times the memory with 400-sample frames.
    /// </summary>
    public static int AutomaticRingSize(int sampleRate, int frameSamples)
    {
        int framesPerSecond = Math.Max(1, (sampleRate + frameSamples - 1) / frameSamples);
        return (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)framesPerSecond));
    }

    /// <summary>Reads and checks pipeline.*; the config is layered over reference.conf first.</summary>
    public static PipelineSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config full = ReferenceEquals(config, ConfigLoader.Reference) ? config : config.WithFallback(ConfigLoader.Reference);
        var root = new ConfigReader(full, "");
        var p = new ConfigReader(root.Object("pipeline", "an object { ... } (see hocon/reference.conf)"), "pipeline");

        CheckKnownKeys(p);

        SourceKind source = p.Choice("source",
            ("simulated", SourceKind.Simulated), ("ads1299", SourceKind.Ads1299), ("replay", SourceKind.Replay));
        int channels = p.Int("channels", "a multiple of 8 from 8 to 32", c => c is >= 8 and <= 32 && c % 8 == 0);
        int sampleRate = p.Int("sample-rate", "one of " + string.Join(", ", s_sampleRates), r => s_sampleRates.Contains(r));
        int frameSamples = p.Int("frame-samples", $"an integer from 1 to 4000 and at most pipeline.sample-rate ({sampleRate})",
            n => n >= 1 && n <= 4000 && n <= sampleRate);
        int ringSize = p.Int("ring-size", "0 (automatic: one second of frames) or a power of two from 4 to 1048576",
            n => n == 0 || (n >= 4 && n <= 1 << 20 && (n & (n - 1)) == 0));
        if (ringSize == 0) ringSize = AutomaticRingSize(sampleRate, frameSamples);
        WaitStrategyKind wait = p.Choice("wait-strategy",
            ("busy-spin", WaitStrategyKind.BusySpin), ("yielding", WaitStrategyKind.Yielding), ("blocking", WaitStrategyKind.Blocking));
        // Fewer slabs than ring-size + 2 are allowed on purpose: the pool, not the ring, then runs
        // dry first, which is how tests provoke overruns with a small pool.
        int configuredSlabs = p.Int("slab-count", "0 (automatic) or from 1 to 4194304", n => n is >= 0 and <= 1 << 22);
        int gain = p.Int("gain", "one of " + string.Join(", ", s_gains), g => s_gains.Contains(g));
        double referenceVolts = p.Double("reference-volts", "a voltage above 0 and at most 5", v => v > 0 && v <= 5);
        IReadOnlyList<string> channelNames = ReadChannelNames(p, channels);
        TimeSpan statusInterval = p.Duration("status-interval", "a duration from 100ms to 1h",
            t => t >= TimeSpan.FromMilliseconds(100) && t <= TimeSpan.FromHours(1));

        SimulatedSettings simulated = ReadSimulated(new ConfigReader(p.Object("simulated", "an object { signal = ..., ... }"), "pipeline.simulated"));
        ReplaySettings replay = ReadReplay(new ConfigReader(p.Object("replay", "an object { file = ..., speed = ... }"), "pipeline.replay"), source);
        Ads1299Settings ads1299 = Ads1299Settings.Read(
            new ConfigReader(p.Object("ads1299", "an object { spi-bus = ..., wiring = ..., ... }"), "pipeline.ads1299"), source, channels);
        DspSettings dsp = ReadDsp(new ConfigReader(p.Object("dsp", "an object { enabled = ..., highpass { ... }, ... }"), "pipeline.dsp"));

        var names = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<SinkSettings> sinks = ReadSinks(p, names);
        IReadOnlyList<StageEntry> stages = ReadStages(p, names);
        string stageDirectory = p.String("stage-directory", "a folder path, or \"\" for none");

        bool automatic = configuredSlabs == 0;
        int slabCount = automatic
            ? AutomaticSlabCount(ringSize, sinks.Select(s => s.Capacity).Concat(stages.Select(s => s.Capacity)))
            : configuredSlabs;
        long poolBytes = slabCount * SlabBytesFor(channels, frameSamples);
        if (poolBytes > MaxSlabPoolBytes)
        {
            throw new ConfigException(
                $"pipeline.slab-count = {configuredSlabs} is not allowed: {slabCount} slabs of {channels} channels x {frameSamples} samples "
                + $"need {poolBytes >> 20} MB, more than {MaxSlabPoolBytes >> 20} MB; lower pipeline.ring-size, pipeline.frame-samples or pipeline.slab-count");
        }

        return new PipelineSettings
        {
            Source = source,
            Channels = channels,
            SampleRate = sampleRate,
            FrameSamples = frameSamples,
            RingSize = ringSize,
            WaitStrategy = wait,
            SlabCount = slabCount,
            SlabCountIsAutomatic = automatic,
            Gain = gain,
            ReferenceVolts = referenceVolts,
            ChannelNames = channelNames,
            StatusInterval = statusInterval,
            Simulated = simulated,
            Replay = replay,
            Ads1299 = ads1299,
            Dsp = dsp,
            Sinks = sinks,
            Stages = stages,
            StageDirectory = stageDirectory,
        };
    }

    /// <summary>One line for the start-up log, e.g. "simulated (eeg), 32 channels at 4000 SPS, ...".</summary>
    public string Describe()
    {
        var s = new StringBuilder();
        s.Append(Source switch
        {
            SourceKind.Simulated => $"simulated ({Simulated.Signal.ToString().ToLowerInvariant()}{(Simulated.FreeRunning ? ", free-running" : "")})",
            SourceKind.Replay => $"replay of {Replay.File} ({(Replay.RealTime ? "realtime" : "fast")})",
            _ => "ADS1299",
        });
        s.Append(CultureInfo.InvariantCulture, $", {Channels} channels at {SampleRate} SPS, {FrameSamples}-sample frames");
        s.Append(CultureInfo.InvariantCulture, $", ring {RingSize} ({Word(WaitStrategy)}), {SlabCount} slabs ({Size(SlabCount * SlabBytes)})");
        s.Append(CultureInfo.InvariantCulture, $", gain {Gain}, DSP: {Dsp.Describe()}");
        s.Append(", sinks: ").Append(Sinks.Count == 0 ? "none" : string.Join(", ", Sinks.Select(k => $"{k.Name} {Word(k.Policy)} x{k.Capacity}")));
        s.Append(", stages: ").Append(Stages.Count == 0 ? "none" : string.Join(", ", Stages.Select(k => $"{k.Name} {Word(k.Policy)} x{k.Capacity}")));
        return s.ToString();
    }

    /// <summary>The HOCON word of a policy: drop-oldest, drop-newest, decimate, lossless.</summary>
    public static string Word(SinkPolicy policy) => policy switch
    {
        SinkPolicy.DropOldest => "drop-oldest",
        SinkPolicy.DropNewest => "drop-newest",
        SinkPolicy.Decimate => "decimate",
        _ => "lossless",
    };

    /// <summary>The HOCON word of a wait strategy: busy-spin, yielding, blocking.</summary>
    public static string Word(WaitStrategyKind wait) => wait switch
    {
        WaitStrategyKind.BusySpin => "busy-spin",
        WaitStrategyKind.Yielding => "yielding",
        _ => "blocking",
    };

    private static string Size(long bytes) =>
        bytes >= 10L << 20 ? $"{bytes >> 20} MB" : $"{(bytes + 1023) >> 10} kB";

    private static long SlabBytesFor(int channels, int frameSamples) =>
        (long)channels * frameSamples * (sizeof(int) + sizeof(float)) + (long)frameSamples * sizeof(long);

    private static IReadOnlyList<string> ReadChannelNames(ConfigReader p, int channels)
    {
        string allowed = $"exactly {channels} distinct non-empty names (one per channel), or [] for the default 10-20 names";
        IReadOnlyList<string> names = p.StringList("channel-names", allowed);
        if (names.Count == 0) return StreamDescription.DefaultChannelNames(channels);
        if (names.Count != channels || names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw ConfigException.Invalid("pipeline.channel-names", ConfigReader.Shown(p.Raw("channel-names")!), allowed);
        }
        return names.ToArray();
    }

    private static SimulatedSettings ReadSimulated(ConfigReader r) => new(
        r.Choice("signal", ("eeg", SimulatedSignal.Eeg), ("pattern", SimulatedSignal.Pattern)),
        r.Switch("free-running"),
        r.Int("mains-hz", "50 or 60", hz => hz is 50 or 60),
        r.Int("seed", "an integer from -2147483648 to 2147483647", _ => true));

    private static ReplaySettings ReadReplay(ConfigReader r, SourceKind source)
    {
        string file = r.String("file", "a BDF or EDF file path");
        bool realTime = r.Choice("speed", ("realtime", true), ("fast", false));
        if (source == SourceKind.Replay && (string.IsNullOrWhiteSpace(file) || !File.Exists(file)))
        {
            throw ConfigException.Invalid(r.KeyOf("file"), file, "an existing BDF or EDF file when pipeline.source = replay");
        }
        return new ReplaySettings(file, realTime);
    }

    private static DspSettings ReadDsp(ConfigReader r)
    {
        var hp = new ConfigReader(r.Object("highpass", "an object { enabled, cutoff-hz, order }"), r.KeyOf("highpass"));
        var notch = new ConfigReader(r.Object("notch", "an object { enabled, frequency-hz, q, harmonics }"), r.KeyOf("notch"));
        var lp = new ConfigReader(r.Object("lowpass", "an object { enabled, cutoff-hz, order }"), r.KeyOf("lowpass"));
        const string positiveHz = "a frequency in Hz above 0 (the DSP checks it against Nyquist)";
        const string order = "an integer from 1 to 8";
        return new DspSettings(
            r.Switch("enabled"),
            hp.Switch("enabled"), hp.Double("cutoff-hz", positiveHz, f => f > 0), hp.Int("order", order, n => n is >= 1 and <= 8),
            notch.Switch("enabled"), notch.Double("frequency-hz", positiveHz, f => f > 0), notch.Double("q", "a number above 0", q => q > 0),
            notch.Int("harmonics", "an integer from 1 to 5", n => n is >= 1 and <= 5),
            lp.Switch("enabled"), lp.Double("cutoff-hz", positiveHz, f => f > 0), lp.Int("order", order, n => n is >= 1 and <= 8));
    }

    private static SinkPolicy ReadPolicy(ConfigReader r, bool losslessAllowed)
    {
        if (!r.Has("policy")) return SinkPolicy.DropOldest;
        var choices = new List<(string, SinkPolicy)>
        {
            ("drop-oldest", SinkPolicy.DropOldest), ("drop-newest", SinkPolicy.DropNewest), ("decimate", SinkPolicy.Decimate),
        };
        if (losslessAllowed) choices.Add(("lossless", SinkPolicy.Lossless));
        return r.Choice("policy", choices.ToArray());
    }

    private static IReadOnlyList<SinkSettings> ReadSinks(ConfigReader p, HashSet<string> names)
    {
        var sinksConfig = new ConfigReader(p.Object("sinks", "an object of sinks by name { scope { ... }, ... }"), "pipeline.sinks");
        var sinks = new List<SinkSettings>();
        foreach (string name in sinksConfig.Keys())
        {
            string key = sinksConfig.KeyOf(name);
            HoconValue value = sinksConfig.Raw(name)!;
            if (!value.IsObject()) throw ConfigException.Invalid(key, ConfigReader.Shown(value), "an object { policy = ..., capacity = ... }");
            CheckName(key, name, names);
            var r = new ConfigReader(sinksConfig.Object(name, "an object"), key);
            CheckKeys(r, s_sinkKeys);
            sinks.Add(new SinkSettings(
                name,
                ReadPolicy(r, losslessAllowed: true),
                r.Int("capacity", "an integer from 1 to 1024 (frames)", n => n is >= 1 and <= 1024, fallback: 4),
                r.Duration("lossless-timeout", "a duration above 0 and at most 1h", t => t > TimeSpan.Zero && t <= TimeSpan.FromHours(1),
                    fallback: TimeSpan.FromSeconds(5)),
                r.Int("decimate-factor", "an integer from 2 to 1000", n => n is >= 2 and <= 1000, fallback: 4)));
        }
        return sinks;
    }

    private static IReadOnlyList<StageEntry> ReadStages(ConfigReader p, HashSet<string> names)
    {
        const string allowed = "a list of objects { name = ..., type = ..., policy = ..., capacity = ..., settings { ... } }";
        HoconValue? list = p.Raw("stages");
        if (list is null) return [];
        if (!ConfigReader.IsList(list)) throw ConfigException.Invalid("pipeline.stages", ConfigReader.Shown(list), allowed);
        var stages = new List<StageEntry>();
        IList<HoconValue> items = ConfigReader.Items(list);
        for (int i = 0; i < items.Count; i++)
        {
            string key = $"pipeline.stages[{i}]";
            if (!items[i].IsObject()) throw ConfigException.Invalid(key, ConfigReader.Shown(items[i]), "an object { name = ..., type = ..., ... }");
            var r = new ConfigReader(new Config(new HoconRoot(items[i])), key);
            CheckKeys(r, s_stageKeys);
            string name = r.String("name", NameAllowed + ", unique among sinks and stages");
            CheckName(r.KeyOf("name"), name, names);
            string type = r.String("type", "a full class name, e.g. \"Eeg.Plugins.Examples.BandPowerStage\"");
            if (string.IsNullOrWhiteSpace(type))
            {
                throw ConfigException.Invalid(r.KeyOf("type"), type, "a full class name, e.g. \"Eeg.Plugins.Examples.BandPowerStage\"");
            }
            stages.Add(new StageEntry(
                name,
                type.Trim(),
                // Lossless is allowed for a stage that must see every frame (an online classifier that
                // counts events): like a recorder it holds the fan-out up to its timeout, then it is
                // marked failed and acquisition goes on. Most stages should drop instead.
                ReadPolicy(r, losslessAllowed: true),
                r.Int("capacity", "an integer from 1 to 1024 (frames; 2 to 8 suits most stages)", n => n is >= 1 and <= 1024, fallback: 4),
                r.Int("decimate-factor", "an integer from 2 to 1000", n => n is >= 2 and <= 1000, fallback: 4),
                r.Object("settings", "an object { ... } of the stage's own settings"))
            {
                LosslessTimeout = r.Duration("lossless-timeout", "a duration above 0 and at most 1h", t => t > TimeSpan.Zero && t <= TimeSpan.FromHours(1), fallback: TimeSpan.FromSeconds(5)),
            });
        }
        return stages;
    }

    private static void CheckName(string key, string name, HashSet<string> names)
    {
        bool wellFormed = name.Length > 0 && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
        if (!wellFormed) throw ConfigException.Invalid(key, name, NameAllowed);
        if (!names.Add(name)) throw ConfigException.Invalid(key, name, "a name not yet used by another sink or stage");
    }

    private static void CheckKeys(ConfigReader r, string[] known)
    {
        foreach (string key in r.Keys())
        {
            if (!known.Contains(key)) throw UnknownKey(r.KeyOf(key), known.Select(r.KeyOf));
        }
    }

    // Every key under pipeline must be one reference.conf has (sinks and stages are checked
    // where they are read, as their names are the user's).
    private static void CheckKnownKeys(ConfigReader p)
    {
        var reference = new ConfigReader(ConfigLoader.Reference.GetConfig("pipeline"), "pipeline");
        CheckAgainst(p, reference);
    }

    private static void CheckAgainst(ConfigReader actual, ConfigReader reference)
    {
        IReadOnlyList<string> known = reference.Keys();
        foreach (string key in actual.Keys())
        {
            if (!known.Contains(key)) throw UnknownKey(actual.KeyOf(key), known.Select(reference.KeyOf));
            if (actual.Path == "pipeline" && key is "sinks" or "stages") continue;
            HoconValue? expected = reference.Raw(key);
            HoconValue? value = actual.Raw(key);
            if (expected is not null && value is not null && expected.IsObject() && value.IsObject())
            {
                CheckAgainst(new ConfigReader(actual.Object(key, "an object"), actual.KeyOf(key)),
                             new ConfigReader(reference.Object(key, "an object"), reference.KeyOf(key)));
            }
        }
    }

    private static ConfigException UnknownKey(string key, IEnumerable<string> known)
    {
        string? nearest = known.MinBy(k => Distance(k, key));
        string hint = nearest is not null && Distance(nearest, key) <= 3 ? $"; did you mean {nearest}?" : "";
        return new ConfigException($"{key} is not a known key (hocon/reference.conf lists them all){hint}");
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
