using Eeg.Shared.Frames;

namespace Eeg.Processing.Recording;

/// <summary>What a recording's files say about it besides the samples.</summary>
/// <param name="ChannelNames">One label per channel.</param>
/// <param name="SampleRate">Samples per second per channel.</param>
/// <param name="Gain">Amplifier gain (ADS1299 PGA).</param>
/// <param name="ReferenceVolts">ADC reference voltage.</param>
/// <param name="Subject">Subject code for the EDF+ patient field, or null ("X").</param>
/// <param name="Session">Session code for the EDF+ recording field, or null ("X").</param>
/// <param name="Equipment">Equipment code for the EDF+ recording field (the source name).</param>
/// <param name="Filters">The online filters applied to the microvolts (written in the CSV header; BDF stores raw counts).</param>
/// <param name="RecordSamples">Samples per channel per BDF data record (sample rate x record duration).</param>
/// <param name="StreamStartUnixNs">Unix time of stream sample 0, used when a frame carries no time of its own.</param>
public sealed record RecordingMetadata(
    IReadOnlyList<string> ChannelNames,
    int SampleRate,
    int Gain,
    double ReferenceVolts,
    string? Subject,
    string? Session,
    string Equipment,
    string Filters,
    int RecordSamples,
    long StreamStartUnixNs)
{
    public int Channels => ChannelNames.Count;

    /// <summary>Microvolts per ADC count: 2 Vref / gain / 2^24 (ADS1299 datasheet, 9.3.1).</summary>
    public double MicrovoltsPerCount => 2.0 * ReferenceVolts / Gain / (1 << 24) * 1e6;

    public static RecordingMetadata From(StreamDescription stream, string? subject, string? session, double recordSeconds) => new(
        stream.ChannelNames, stream.SampleRate, stream.Gain, stream.ReferenceVolts, subject, session, stream.Source, stream.Filters,
        checked((int)Math.Round(stream.SampleRate * recordSeconds)), stream.StartUnixNs);
}
