namespace Eeg.Processing.Recording;

/// <summary>
/// One output file of a recording (BDF+ or CSV). Called only by the <see cref="RecordingWriter"/>'s
/// writer thread, in order; any exception it throws fails the recording with its message.
/// </summary>
internal interface IRecordingFormatWriter : IDisposable
{
    /// <summary>"bdf" or "csv".</summary>
    string Format { get; }

    /// <summary>The file path (as given to the stream factory).</summary>
    string Path { get; }

    /// <summary>True when it reads <see cref="FrameBlock.Counts"/> (BDF).</summary>
    bool UsesCounts { get; }

    /// <summary>True when it reads <see cref="FrameBlock.Microvolts"/> (CSV).</summary>
    bool UsesMicrovolts { get; }

    /// <summary>Bytes written so far (read by status from other threads).</summary>
    long Bytes { get; }

    /// <summary>Writes a block of contiguous samples; <see cref="FrameBlock.GapBefore"/> samples are missing before it.</summary>
    void Write(FrameBlock block);

    /// <summary>An annotation (trigger, marker, stage event) at a sample index; formats without annotations ignore it.</summary>
    void Annotate(long sampleIndex, long durationSamples, string text);

    /// <summary>Makes what is written durable and readable: flush to disk, update the header's record count.</summary>
    void Checkpoint();

    /// <summary>
    /// The sample index after the last sample the last <see cref="Checkpoint"/> made durable and readable
    /// (a crash keeps everything before it); -1 when this format does not say or holds nothing yet.
    /// </summary>
    long DurableEnd => -1;

    /// <summary>Finishes the file normally (last record padded and annotated, header final) and closes it.</summary>
    void Close();

    /// <summary>After a failure: best effort to leave the file readable up to the last complete record, then close.</summary>
    void Abort();
}
