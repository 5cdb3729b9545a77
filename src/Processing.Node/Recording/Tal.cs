using System.Globalization;
using System.Text;

namespace Eeg.Processing.Recording;

/// <summary>One annotation read from (or written to) an EDF+/BDF+ annotation signal.</summary>
/// <param name="Onset">Seconds since the file's start (the header's start date/time).</param>
/// <param name="Duration">Seconds, or null when the TAL gives none.</param>
/// <param name="Text">The annotation text (UTF-8 in the file); empty for a time-keeping TAL.</param>
public readonly record struct BdfAnnotation(decimal Onset, decimal? Duration, string Text);

/// <summary>
/// Time-stamped Annotation Lists (EDF+ spec 2.2.2): "+Onset[\x15Duration]\x14Text\x14...\x14\0".
/// The first TAL of every data record is the time-keeping one, "+Onset\x14\x14\0", giving the
/// record's start relative to the file start; BDF+ stores the bytes in the annotation signal's
/// 3-byte "samples", unused bytes are 0.
/// </summary>
public static class Tal
{
    public const byte DurationSeparator = 0x15;
    public const byte Separator = 0x14;

    /// <summary>Seconds as an exact decimal: sample offsets at 250..16000 SPS are terminating decimals.</summary>
    public static decimal Seconds(long samples, int sampleRate) => (decimal)samples / sampleRate;

    /// <summary>Bytes a TAL with this text will take (to decide whether it fits the record).</summary>
    public static int Size(decimal onset, decimal? duration, string text)
    {
        Span<byte> scratch = stackalloc byte[64];
        int n = 1 + Format(onset, scratch) + 1 + Encoding.UTF8.GetByteCount(text) + 2;
        if (duration is decimal d) n += 1 + Format(d, scratch);
        return n;
    }

    /// <summary>Writes the time-keeping TAL of a record; returns bytes written.</summary>
    public static int WriteTimeKeeping(Span<byte> into, decimal recordOnset)
    {
        int at = 0;
        into[at++] = (byte)(recordOnset < 0 ? '-' : '+');
        at += Format(Math.Abs(recordOnset), into[at..]);
        into[at++] = Separator;
        into[at++] = Separator;
        into[at++] = 0;
        return at;
    }

    /// <summary>Writes one annotation TAL; returns bytes written (the caller checked <see cref="Size"/>).</summary>
    public static int Write(Span<byte> into, decimal onset, decimal? duration, string text)
    {
        int at = 0;
        into[at++] = (byte)(onset < 0 ? '-' : '+');
        at += Format(Math.Abs(onset), into[at..]);
        if (duration is decimal d)
        {
            into[at++] = DurationSeparator;
            at += Format(d, into[at..]);
        }
        into[at++] = Separator;
        at += Encoding.UTF8.GetBytes(Clean(text), into[at..]);
        into[at++] = Separator;
        into[at++] = 0;
        return at;
    }

    /// <summary>
    /// Parses the TALs of one record's annotation bytes. The first annotation returned for a record
    /// with time-keeping is the time-keeping entry (empty text). Throws <see cref="FormatException"/>
    /// on a malformed TAL.
    /// </summary>
    public static List<BdfAnnotation> Parse(ReadOnlySpan<byte> bytes)
    {
        var result = new List<BdfAnnotation>();
        int at = 0;
        while (at < bytes.Length && bytes[at] != 0)
        {
            int end = bytes[at..].IndexOf((byte)0);
            if (end < 0) throw new FormatException("a TAL is not terminated by a 0 byte");
            ReadOnlySpan<byte> tal = bytes.Slice(at, end);
            at += end + 1;
            if (tal.Length < 2 || tal[^1] != Separator) throw new FormatException("a TAL does not end with 0x14 0x00");
            int firstSep = tal.IndexOf(Separator);
            ReadOnlySpan<byte> time = tal[..firstSep];
            int dsep = time.IndexOf(DurationSeparator);
            decimal onset = ParseNumber(dsep >= 0 ? time[..dsep] : time, signed: true);
            decimal? duration = dsep >= 0 ? ParseNumber(time[(dsep + 1)..], signed: false) : null;
            ReadOnlySpan<byte> rest = tal[(firstSep + 1)..^1];
            if (rest.IsEmpty)
            {
                result.Add(new BdfAnnotation(onset, duration, ""));
                continue;
            }
            while (true)
            {
                int sep = rest.IndexOf(Separator);
                ReadOnlySpan<byte> text = sep >= 0 ? rest[..sep] : rest;
                result.Add(new BdfAnnotation(onset, duration, Encoding.UTF8.GetString(text)));
                if (sep < 0) break;
                rest = rest[(sep + 1)..];
            }
        }
        return result;
    }

    /// <summary>Annotation text may not hold the TAL delimiters; they become spaces.</summary>
    public static string Clean(string text)
    {
        if (text.AsSpan().IndexOfAny("\u0014\u0015\0") < 0) return text;
        return text.Replace('\u0014', ' ').Replace('\u0015', ' ').Replace('\0', ' ');
    }

    private static int Format(decimal value, Span<byte> into)
    {
        if (!value.TryFormat(into, out int written, "0.##########", CultureInfo.InvariantCulture))
        {
            throw new ArgumentException("no room for the TAL number");
        }
        return written;
    }

    private static decimal ParseNumber(ReadOnlySpan<byte> text, bool signed)
    {
        if (text.IsEmpty) throw new FormatException("a TAL has an empty onset or duration");
        if (signed && text[0] is not ((byte)'+' or (byte)'-')) throw new FormatException("a TAL onset does not start with + or -");
        if (!decimal.TryParse(Encoding.ASCII.GetString(text), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out decimal value))
        {
            throw new FormatException($"a TAL time \"{Encoding.ASCII.GetString(text)}\" is not a number");
        }
        return value;
    }
}
