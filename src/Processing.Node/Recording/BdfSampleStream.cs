using Eeg.Shared.Frames;

namespace Eeg.Processing.Recording;

/// <summary>
/// Reads a BDF/EDF recording sample by sample for the replay source: each call gives one sample's
/// digital values for every data channel, its stream sample index (gaps show as jumps, padding is
/// skipped) and the trigger code at that sample (0 for none).
/// </summary>
/// <remarks>
/// Allocation: the time line (annotations, gaps, triggers) is read once at open; after that
/// <see cref="TryReadSample"/> decodes one record at a time into buffers allocated at open and
/// allocates nothing per sample (BdfSampleStreamTests measures it).
/// </remarks>
public sealed class BdfSampleStream : IDisposable
{
    private readonly BdfReader _reader;
    private readonly BdfTimeline _timeline;
    private readonly int _channels;
    private readonly int _n;
    private readonly int[] _record;     // decoded record, sample-major: n x channels
    private readonly int[] _signal;
    private readonly (long Index, int Code)[] _triggers;
    private long _recordIndex = -1;
    private int _slot;
    private int _nextTrigger;

    private BdfSampleStream(BdfReader reader)
    {
        _reader = reader;
        _timeline = reader.ScanTimeline();
        _channels = reader.DataSignals.Count;
        if (_channels == 0) throw new FormatException($"{reader.Path}: no data signals");
        _n = reader.SamplesPerRecord(reader.DataSignals[0]);
        foreach (int s in reader.DataSignals)
        {
            if (reader.SamplesPerRecord(s) != _n) throw new FormatException($"{reader.Path}: signals have different sample rates; replay needs one rate");
        }
        _record = new int[_n * _channels];
        _signal = new int[_n];
        _triggers = _timeline.Triggers.ToArray();
        _slot = _n;

        BdfSignalHeader first = reader.Header.Signals[reader.DataSignals[0]];
        ChannelNames = reader.DataSignals.Select(s => reader.Header.Signals[s].Label).ToArray();
        SampleRate = (int)Math.Round(_timeline.SampleRate);
        // Exact step for our files (physical range +/-Vref/gain over 2^24 steps); the EDF map's step otherwise.
        MicrovoltsPerCount = IsSymmetric24Bit(first)
            ? 2.0 * first.PhysicalMaximum / (1 << 24) * UnitToMicrovolts(first.PhysicalDimension)
            : first.Scale * UnitToMicrovolts(first.PhysicalDimension);
        if (_timeline.Gain > 0 && _timeline.ReferenceVolts > 0)
        {
            Gain = _timeline.Gain;
            ReferenceVolts = _timeline.ReferenceVolts;
        }
        else
        {
            // Not written by us: express the step as gain 1 and the Vref that gives it.
            Gain = 1;
            ReferenceVolts = MicrovoltsPerCount * (1 << 24) / 2.0 / 1e6;
        }
    }

    /// <summary>Opens a file; throws FormatException or IOException with a one-line message.</summary>
    public static BdfSampleStream Open(string path)
    {
        BdfReader reader = BdfReader.Open(path);
        try { return new BdfSampleStream(reader); }
        catch { reader.Dispose(); throw; }
    }

    public BdfReader Reader => _reader;
    public BdfTimeline Timeline => _timeline;
    public IReadOnlyList<string> ChannelNames { get; }
    public int ChannelCount => _channels;
    public int SampleRate { get; }
    public int Gain { get; }
    public double ReferenceVolts { get; }
    public double MicrovoltsPerCount { get; }
    /// <summary>Index of the first sample in the file.</summary>
    public long FirstSampleIndex => _timeline.StartSampleIndex;
    /// <summary>Unix time of the first sample, ns.</summary>
    public long FirstSampleUnixNs => _timeline.StartUnixNs;

    /// <summary>The stream description a replay source announces (Unix time of sample 0 back-computed from the first sample).</summary>
    public StreamDescription ToStreamDescription(int frameSamples, string filters = "none (replayed raw counts)") => new(
        ChannelNames, SampleRate, frameSamples, Gain, ReferenceVolts, "uV", filters,
        FirstSampleUnixNs - (long)(FirstSampleIndex * 1e9 / SampleRate), "replay");

    /// <summary>
    /// Reads the next real sample: <paramref name="counts"/> (at least <see cref="ChannelCount"/> long)
    /// gets one digital value per channel. False at the end of the file.
    /// </summary>
    public bool TryReadSample(Span<int> counts, out long sampleIndex, out int triggerCode)
    {
        while (true)
        {
            if (_slot >= _n)
            {
                if (_recordIndex + 1 >= _reader.RecordsOnDisk)
                {
                    sampleIndex = -1;
                    triggerCode = 0;
                    return false;
                }
                LoadRecord(++_recordIndex);
                _slot = 0;
            }
            long index = _timeline.RecordFirstSample[_recordIndex] + _slot;
            int slot = _slot++;
            if (_timeline.Runs.Count > 0 && _timeline.IsFiller(index)) continue;
            _record.AsSpan(slot * _channels, _channels).CopyTo(counts);
            sampleIndex = index;
            triggerCode = 0;
            while (_nextTrigger < _triggers.Length && _triggers[_nextTrigger].Index < index) _nextTrigger++;
            if (_nextTrigger < _triggers.Length && _triggers[_nextTrigger].Index == index) triggerCode = _triggers[_nextTrigger].Code;
            return true;
        }
    }

    public void Dispose() => _reader.Dispose();

    private void LoadRecord(long record)
    {
        for (int c = 0; c < _channels; c++)
        {
            _reader.ReadSignal(record, _reader.DataSignals[c], _signal);
            for (int j = 0; j < _n; j++) _record[j * _channels + c] = _signal[j];
        }
    }

    private static bool IsSymmetric24Bit(BdfSignalHeader s) =>
        s.DigitalMinimum == -8388608 && s.DigitalMaximum == 8388607 && s.PhysicalMinimum == -s.PhysicalMaximum;

    private static double UnitToMicrovolts(string unit) => unit switch
    {
        "uV" or "\u00b5V" or "\u03bcV" => 1,
        "mV" => 1e3,
        "V" => 1e6,
        "nV" => 1e-3,
        _ => 1,
    };
}
