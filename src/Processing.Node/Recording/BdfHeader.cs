using System.Globalization;
using System.Text;

namespace Eeg.Processing.Recording;

/// <summary>One signal's header fields (EDF/BDF: 16+80+8+8+8+8+8+80+8+32 bytes, stored field-major).</summary>
public sealed record BdfSignalHeader(
    string Label,
    string Transducer,
    string PhysicalDimension,
    double PhysicalMinimum,
    double PhysicalMaximum,
    int DigitalMinimum,
    int DigitalMaximum,
    string Prefilter,
    int SamplesPerRecord)
{
    /// <summary>True for the "BDF Annotations" (or EDF) signal that carries TALs instead of samples.</summary>
    public bool IsAnnotations => Label is BdfHeader.AnnotationsLabel or "EDF Annotations";

    /// <summary>
    /// Physical units per digital step, as a reader applying the EDF linear map sees it:
    /// (pmax - pmin) / (dmax - dmin).
    /// </summary>
    public double Scale => (PhysicalMaximum - PhysicalMinimum) / ((double)DigitalMaximum - DigitalMinimum);
}

/// <summary>
/// The header record of a BDF+ (or EDF/EDF+) file: 256 bytes of file fields, then 256 bytes per
/// signal. Field widths are the EDF specification's (8 version, 80 patient, 80 recording, 8 start
/// date dd.mm.yy, 8 start time hh.mm.ss, 8 header bytes, 44 reserved, 8 record count, 8 record
/// duration, 4 signal count). BDF differs only in the version field (byte 0xFF then "BIOSEMI") and
/// in 3-byte little-endian samples; BDF+ puts "BDF+C" or "BDF+D" in the reserved field.
/// </summary>
public sealed record BdfHeader(
    bool IsBdf,
    string Patient,
    string RecordingId,
    DateTime StartUtc,
    string Reserved,
    long RecordCount,
    double RecordDurationSeconds,
    IReadOnlyList<BdfSignalHeader> Signals)
{
    public const string AnnotationsLabel = "BDF Annotations";
    public const int FixedBytes = 256;
    public const int BytesPerSignal = 256;

    /// <summary>Byte offset of the "number of data records" field: rewritten in place as the file grows.</summary>
    public const int RecordCountOffset = 236;

    /// <summary>Byte offset of the 44-byte reserved field ("BDF+C" / "BDF+D").</summary>
    public const int ReservedOffset = 192;

    public int HeaderBytes => FixedBytes + BytesPerSignal * Signals.Count;

    /// <summary>Bytes per sample value: 3 in BDF, 2 in EDF.</summary>
    public int BytesPerValue => IsBdf ? 3 : 2;

    /// <summary>Bytes of one data record.</summary>
    public long RecordBytes => Signals.Sum(s => (long)s.SamplesPerRecord) * BytesPerValue;

    /// <summary>True when the reserved field says the records may not be contiguous in time (EDF+D/BDF+D).</summary>
    public bool IsDiscontinuous => Reserved.StartsWith("BDF+D", StringComparison.Ordinal) || Reserved.StartsWith("EDF+D", StringComparison.Ordinal);

    /// <summary>True for EDF+/BDF+ (annotations and time-keeping present).</summary>
    public bool IsPlus => Reserved.StartsWith("BDF+", StringComparison.Ordinal) || Reserved.StartsWith("EDF+", StringComparison.Ordinal);

    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes];
        Write(bytes);
        return bytes;
    }

    public void Write(Span<byte> bytes)
    {
        bytes[..HeaderBytes].Fill((byte)' ');
        int at = 0;
        if (IsBdf)
        {
            bytes[0] = 0xFF;
            Field(bytes, 1, 7, "BIOSEMI");
        }
        else
        {
            Field(bytes, 0, 8, "0");
        }
        at = 8;
        Field(bytes, at, 80, Patient); at += 80;
        Field(bytes, at, 80, RecordingId); at += 80;
        Field(bytes, at, 8, StartUtc.ToString("dd.MM.yy", CultureInfo.InvariantCulture)); at += 8;
        Field(bytes, at, 8, StartUtc.ToString("HH.mm.ss", CultureInfo.InvariantCulture)); at += 8;
        Field(bytes, at, 8, HeaderBytes.ToString(CultureInfo.InvariantCulture)); at += 8;
        Field(bytes, at, 44, Reserved); at += 44;
        Field(bytes, at, 8, RecordCount.ToString(CultureInfo.InvariantCulture)); at += 8;
        Field(bytes, at, 8, Number(RecordDurationSeconds)); at += 8;
        Field(bytes, at, 4, Signals.Count.ToString(CultureInfo.InvariantCulture)); at += 4;
        at = SignalFields(bytes, at, 16, s => s.Label);
        at = SignalFields(bytes, at, 80, s => s.Transducer);
        at = SignalFields(bytes, at, 8, s => s.PhysicalDimension);
        at = SignalFields(bytes, at, 8, s => Number(s.PhysicalMinimum));
        at = SignalFields(bytes, at, 8, s => Number(s.PhysicalMaximum));
        at = SignalFields(bytes, at, 8, s => s.DigitalMinimum.ToString(CultureInfo.InvariantCulture));
        at = SignalFields(bytes, at, 8, s => s.DigitalMaximum.ToString(CultureInfo.InvariantCulture));
        at = SignalFields(bytes, at, 80, s => s.Prefilter);
        at = SignalFields(bytes, at, 8, s => s.SamplesPerRecord.ToString(CultureInfo.InvariantCulture));
        // The 32 reserved bytes per signal stay spaces.
    }

    /// <summary>The 8 ASCII bytes of a record count, as written at <see cref="RecordCountOffset"/>.</summary>
    public static void WriteRecordCount(Span<byte> eightBytes, long count)
    {
        eightBytes.Fill((byte)' ');
        Field(eightBytes, 0, 8, count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Parses a header. Throws <see cref="FormatException"/> with one line saying which field is wrong.</summary>
    public static BdfHeader Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedBytes) throw new FormatException($"header is {bytes.Length} bytes, shorter than the fixed 256");
        bool isBdf = bytes[0] == 0xFF && Ascii(bytes.Slice(1, 7)) == "BIOSEMI";
        if (!isBdf && Ascii(bytes[..8]).Trim() != "0") throw new FormatException("version field is neither 0xFF\"BIOSEMI\" (BDF) nor \"0\" (EDF)");
        string patient = Ascii(bytes.Slice(8, 80)).TrimEnd();
        string recording = Ascii(bytes.Slice(88, 80)).TrimEnd();
        string date = Ascii(bytes.Slice(168, 8));
        string time = Ascii(bytes.Slice(176, 8));
        if (!DateTime.TryParseExact(date + " " + time, "dd.MM.yy HH.mm.ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime start))
        {
            throw new FormatException($"start date/time \"{date} {time}\" is not dd.mm.yy hh.mm.ss");
        }
        // EDF's two-digit year: 85-99 is 1985-1999, 00-84 is 2000-2084 (.NET's default window differs).
        int yy = start.Year % 100;
        start = start.AddYears((yy >= 85 ? 1900 + yy : 2000 + yy) - start.Year);
        int headerBytes = Int(bytes.Slice(184, 8), "number of bytes in header");
        string reserved = Ascii(bytes.Slice(192, 44)).TrimEnd();
        long records = Long(bytes.Slice(236, 8), "number of data records");
        double duration = Double(bytes.Slice(244, 8), "duration of a data record");
        int ns = Int(bytes.Slice(252, 4), "number of signals");
        if (ns < 1 || ns > 4096) throw new FormatException($"number of signals {ns} is out of range");
        if (headerBytes != FixedBytes + BytesPerSignal * ns) throw new FormatException($"header bytes field says {headerBytes}, expected {FixedBytes + BytesPerSignal * ns} for {ns} signals");
        if (bytes.Length < headerBytes) throw new FormatException($"file ends inside the header ({bytes.Length} of {headerBytes} bytes)");
        int at = FixedBytes;
        string[] labels = Column(bytes, ref at, ns, 16), transducers = Column(bytes, ref at, ns, 80), dims = Column(bytes, ref at, ns, 8),
            pmin = Column(bytes, ref at, ns, 8), pmax = Column(bytes, ref at, ns, 8), dmin = Column(bytes, ref at, ns, 8),
            dmax = Column(bytes, ref at, ns, 8), prefilters = Column(bytes, ref at, ns, 80), samples = Column(bytes, ref at, ns, 8);
        var signals = new BdfSignalHeader[ns];
        for (int i = 0; i < ns; i++)
        {
            signals[i] = new BdfSignalHeader(labels[i], transducers[i], dims[i],
                ParseDouble(pmin[i], $"physical minimum of signal {i + 1}"), ParseDouble(pmax[i], $"physical maximum of signal {i + 1}"),
                (int)ParseLong(dmin[i], $"digital minimum of signal {i + 1}"), (int)ParseLong(dmax[i], $"digital maximum of signal {i + 1}"),
                prefilters[i], (int)ParseLong(samples[i], $"samples per record of signal {i + 1}"));
            if (signals[i].SamplesPerRecord < 1) throw new FormatException($"samples per record of signal {i + 1} is {signals[i].SamplesPerRecord}");
            if (signals[i].DigitalMaximum <= signals[i].DigitalMinimum) throw new FormatException($"digital maximum of signal {i + 1} is not above its minimum");
        }
        return new BdfHeader(isBdf, patient, recording, start, reserved, records, duration, signals);
    }

    /// <summary>
    /// Formats a number in the 8-character EDF field: exact when it fits (187500, 0.5), otherwise
    /// rounded to as many decimals as fit.
    /// </summary>
    internal static string Number(double value)
    {
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        if (r.Length <= 8 && !r.Contains('E')) return r;
        for (int decimals = 7; decimals >= 0; decimals--)
        {
            string s = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Contains('.')) s = s.TrimEnd('0').TrimEnd('.');
            if (s.Length <= 8) return s;
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, "does not fit the 8-character EDF number field");
    }

    private static void Field(Span<byte> bytes, int offset, int width, string value)
    {
        // EDF header fields are printable US-ASCII (32..126); anything else becomes '_'.
        for (int i = 0; i < width && i < value.Length; i++)
        {
            char c = value[i];
            bytes[offset + i] = c is >= ' ' and <= '~' ? (byte)c : (byte)'_';
        }
    }

    private int SignalFields(Span<byte> bytes, int at, int width, Func<BdfSignalHeader, string> field)
    {
        for (int i = 0; i < Signals.Count; i++) Field(bytes, at + i * width, width, field(Signals[i]));
        return at + Signals.Count * width;
    }

    private static string[] Column(ReadOnlySpan<byte> bytes, ref int at, int ns, int width)
    {
        var values = new string[ns];
        for (int i = 0; i < ns; i++) values[i] = Ascii(bytes.Slice(at + i * width, width)).Trim();
        at += ns * width;
        return values;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    private static int Int(ReadOnlySpan<byte> field, string name) => (int)ParseLong(Ascii(field).Trim(), name);

    private static long Long(ReadOnlySpan<byte> field, string name) => ParseLong(Ascii(field).Trim(), name);

    private static double Double(ReadOnlySpan<byte> field, string name) => ParseDouble(Ascii(field).Trim(), name);

    private static long ParseLong(string text, string name) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new FormatException($"{name} \"{text}\" is not an integer");

    private static double ParseDouble(string text, string name) =>
        double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new FormatException($"{name} \"{text}\" is not a number");
}
