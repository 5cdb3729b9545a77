using System.Diagnostics;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Shared.Recording;

namespace Eeg.Processing.Recording;

/// <summary>How a <see cref="RecordingWriter"/> buffers and when it gives up.</summary>
/// <param name="Channels">Channels per sample.</param>
/// <param name="SampleRate">Samples per second per channel.</param>
/// <param name="BufferSeconds">Seconds of samples the writer's own buffer holds while the disk does not move.</param>
/// <param name="StallTimeout">How long the caller may wait for room once the buffer is full before the recording fails.</param>
/// <param name="CheckpointInterval">How often the files are flushed to disk and the BDF header's record count rewritten.</param>
/// <param name="BlockSamples">Samples per buffer block; 0 = a tenth of a second.</param>
public sealed record RecordingWriterOptions(
    int Channels,
    int SampleRate,
    double BufferSeconds,
    TimeSpan StallTimeout,
    TimeSpan CheckpointInterval,
    int BlockSamples = 0)
{
    public int EffectiveBlockSamples => BlockSamples > 0 ? BlockSamples : Math.Max(1, SampleRate / 10);

    /// <summary>
    /// Blocks in the ring: enough for <see cref="BufferSeconds"/> while the writer thread holds one
    /// block inside a stalled write, plus that one.
    /// </summary>
    public int BlockCount => (int)Math.Ceiling(BufferSeconds * SampleRate / EffectiveBlockSamples) + 1;
}

/// <summary>
/// The lossless recorder's data path: the caller (the recorder actor, on the fan-out's frames) copies
/// each frame into a pre-allocated block of its own buffer and returns, so the slab goes back to the
/// pool at once; a dedicated writer thread writes full blocks to every format's file.
/// </summary>
/// <remarks>
/// Policy when the disk is slow: the buffer (default 4 s at the stream's rate) absorbs a stall
/// without the caller noticing. When it is full, the caller blocks (counted in
/// <see cref="SinkCounters.CountBlocked"/>) until the writer frees a block; past
/// <see cref="RecordingWriterOptions.StallTimeout"/> the recording fails with the reason "stalled",
/// later frames are dropped and counted, and the caller is never blocked again. An exception from a
/// stream (disk full, I/O error) fails the recording the same way; the files are then closed with
/// their header counting only complete records.
///
/// Cost on the caller: one or two Array.Copy of a frame into the current block, a semaphore release
/// per filled block (10 a second). Measured (ad hoc console run, Release, 2026-11-27, this shared
/// 2-core machine): about 1 us per 1-sample 32-channel frame including the driver loop's own slab
/// fill; RecordingAllocationTests proves 0 bytes allocated per frame.
///
/// Threads: exactly one caller thread at a time (an actor) calls <see cref="Write"/> and
/// <see cref="Stop"/>; <see cref="Annotate"/> may come from any thread.
/// </remarks>
public sealed class RecordingWriter : IDisposable
{
    private const int MaxPendingAnnotations = 4096;

    private readonly RecordingWriterOptions _options;
    private readonly IRecordingFormatWriter[] _formats;
    private readonly SinkCounters? _counters;
    private readonly FrameBlock[] _blocks;
    // Two counting semaphores over a ring of blocks (one producer, one consumer): no allocation on
    // Wait/Release without async waiters, and a waiting thread is woken by the release rather than
    // polling. Blocks move in ring order, so the indices need no lock.
    private readonly SemaphoreSlim _freeBlocks;
    private readonly SemaphoreSlim _fullBlocks;
    private readonly Thread _thread;
    private readonly object _annotationLock = new();
    private readonly List<(long Index, long Duration, string Text)> _pendingAnnotations = new();
    private readonly int _timeoutMs;
    private readonly bool _copyCounts;
    private readonly bool _copyMicrovolts;

    private FrameBlock? _current;
    private long _fillSequence;
    private long _publishedSequence;
    private long _drainSequence;
    private long _expectedNext = -1;
    private long _pendingGap;
    private volatile bool _stopped;

    private long _firstSampleIndex = -1;
    private long _samples;
    private long _gapSamples;
    private long _blockedTicks;
    private long _blockedCount;
    private long _droppedFrames;
    private long _droppedAnnotations;
    private volatile string? _failure;
    private volatile bool _finished;
    private long _firstSampleUnixNs;

    internal RecordingWriter(RecordingWriterOptions options, IReadOnlyList<IRecordingFormatWriter> formats, SinkCounters? counters = null)
    {
        if (options.Channels < 1) throw new ArgumentOutOfRangeException(nameof(options), "channels must be at least 1");
        if (options.SampleRate < 1) throw new ArgumentOutOfRangeException(nameof(options), "sample rate must be at least 1");
        if (formats.Count == 0) throw new ArgumentException("a recording needs at least one format", nameof(formats));
        _options = options;
        _formats = formats.ToArray();
        _counters = counters;
        int blockSamples = options.EffectiveBlockSamples;
        _blocks = new FrameBlock[options.BlockCount];
        _copyCounts = _formats.Any(f => f.UsesCounts);
        _copyMicrovolts = _formats.Any(f => f.UsesMicrovolts);
        for (int i = 0; i < _blocks.Length; i++) _blocks[i] = new FrameBlock(options.Channels, blockSamples, _copyCounts, _copyMicrovolts);
        _freeBlocks = new SemaphoreSlim(_blocks.Length, _blocks.Length);
        _fullBlocks = new SemaphoreSlim(0, _blocks.Length);
        _timeoutMs = (int)Math.Clamp(options.StallTimeout.TotalMilliseconds, 1, int.MaxValue);
        _thread = new Thread(WriterLoop) { IsBackground = true, Name = "recording-writer" };
        _thread.Start();
    }

    /// <summary>Samples each buffer block holds.</summary>
    public int BlockSamples => _blocks[0].Capacity;

    /// <summary>Samples the whole buffer holds while the writer is stuck in one write.</summary>
    public long BufferSamples => (long)(_blocks.Length - 1) * BlockSamples;

    public RecordingState State => _failure is not null ? RecordingState.Failed : _stopped ? RecordingState.Stopped : RecordingState.Recording;
    public string? FailureReason => _failure;
    public long FirstSampleIndex => Interlocked.Read(ref _firstSampleIndex);
    public long FirstSampleUnixNs => Interlocked.Read(ref _firstSampleUnixNs);
    /// <summary>Samples per channel accepted into the buffer.</summary>
    public long Samples => Interlocked.Read(ref _samples);
    public long GapSamples => Interlocked.Read(ref _gapSamples);
    /// <summary>Index of the last sample accepted (-1 before the first): where a user's marker goes.</summary>
    public long LastSampleIndex => Interlocked.Read(ref _expectedNext) - 1;
    public TimeSpan Blocked => TimeSpan.FromSeconds(Interlocked.Read(ref _blockedTicks) / (double)Stopwatch.Frequency);
    /// <summary>Times the caller found the buffer full and had to wait.</summary>
    public long BlockedCount => Interlocked.Read(ref _blockedCount);
    /// <summary>Frames refused because the recording had failed or stopped.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);
    public long DroppedAnnotations => Interlocked.Read(ref _droppedAnnotations);
    public long Bytes => _formats.Sum(f => f.Bytes);
    public IReadOnlyList<string> Paths => _formats.Select(f => f.Path).ToArray();
    public IReadOnlyList<string> Formats => _formats.Select(f => f.Format).ToArray();
    /// <summary>True once the writer thread has closed every file.</summary>
    public bool Finished => _finished;

    /// <summary>
    /// Copies one frame into the buffer. Returns false when the frame was not recorded (the
    /// recording failed or was stopped); it is then counted as dropped. Allocates nothing.
    /// </summary>
    public bool Write(Slab slab)
    {
        if (_failure is not null || _stopped)
        {
            Interlocked.Increment(ref _droppedFrames);
            _counters?.CountDropped();
            return false;
        }
        int n = slab.SampleCount;
        if (n <= 0) return true;
        long index = slab.FirstSampleIndex;
        if (_expectedNext < 0)
        {
            Interlocked.Exchange(ref _firstSampleIndex, index);
            Interlocked.Exchange(ref _firstSampleUnixNs, slab.FirstSampleUnixNs);
        }
        else if (index < _expectedNext)
        {
            Fail($"sample index went backwards: expected {_expectedNext}, got {index} (the stream restarted?)");
            Interlocked.Increment(ref _droppedFrames);
            _counters?.CountDropped();
            return false;
        }
        else if (index > _expectedNext)
        {
            // The index is the truth about gaps (ARCHITECTURE.md): a jump is a gap whatever the flags say.
            _pendingGap += index - _expectedNext;
            Interlocked.Add(ref _gapSamples, index - _expectedNext);
        }

        int channels = _options.Channels;
        int src = 0;
        bool triggersPlaced = slab.TriggerCount == 0;
        while (src < n)
        {
            FrameBlock? block = _current;
            bool needNew = block is null
                || block.Free == 0
                || (_pendingGap > 0 && block.SampleCount > 0)
                || (!triggersPlaced && block.TriggerCount + slab.TriggerCount > FrameBlock.MaxTriggers);
            if (needNew)
            {
                if (block is not null && block.SampleCount > 0) Publish();
                block = AcquireBlock();
                if (block is null)
                {
                    Interlocked.Increment(ref _droppedFrames);
                    _counters?.CountDropped();
                    return false;
                }
                block.FirstSampleIndex = index + src;
                block.GapBefore = _pendingGap;
                block.FirstSampleUnixNs = slab.FirstSampleUnixNs + (long)(src * 1e9 / _options.SampleRate);
                _pendingGap = 0;
            }
            int take = Math.Min(n - src, block!.Free);
            if (_copyCounts) Array.Copy(slab.Counts, src * channels, block.Counts, block.SampleCount * channels, take * channels);
            if (_copyMicrovolts) Array.Copy(slab.Microvolts, src * channels, block.Microvolts, block.SampleCount * channels, take * channels);
            block.SampleCount += take;
            if (!triggersPlaced)
            {
                // All of a frame's triggers go with its first piece; the format writers place each by its own sample index.
                for (int t = 0; t < slab.TriggerCount; t++) block.Triggers[block.TriggerCount++] = slab.Triggers[t];
                triggersPlaced = true;
            }
            src += take;
            if (block.Free == 0) Publish();
        }
        Interlocked.Exchange(ref _expectedNext, index + n);
        Interlocked.Add(ref _samples, n);
        return true;
    }

    /// <summary>
    /// Adds an annotation (user marker, stage event) at a sample index. Control path: may allocate.
    /// Bounded: past 4096 not yet written the annotation is dropped and counted.
    /// </summary>
    public void Annotate(long sampleIndex, long durationSamples, string text)
    {
        lock (_annotationLock)
        {
            if (_pendingAnnotations.Count >= MaxPendingAnnotations)
            {
                Interlocked.Increment(ref _droppedAnnotations);
                return;
            }
            _pendingAnnotations.Add((sampleIndex, durationSamples, text));
        }
    }

    /// <summary>
    /// Ends the recording: hands the last partial block to the writer and waits (at most
    /// <paramref name="timeout"/>) for the files to be closed. Returns true when they were.
    /// </summary>
    public bool Stop(TimeSpan timeout)
    {
        if (!_stopped)
        {
            _stopped = true;
            FrameBlock? last = _current;
            if (last is null && _failure is null) last = AcquireBlock();
            if (last is not null)
            {
                last.EndOfRecording = true;
                _current = last;
                Publish();
            }
        }
        if (_failure is not null)
        {
            // The writer may be inside a write that never returns: wake it if it is waiting, never wait forever.
            ReleaseFull();
        }
        return _thread.Join(timeout);
    }

    public void Dispose()
    {
        Stop(_options.StallTimeout);
    }

    private FrameBlock? AcquireBlock()
    {
        if (!_freeBlocks.Wait(0))
        {
            long start = Stopwatch.GetTimestamp();
            bool got = _failure is null && _freeBlocks.Wait(_timeoutMs);
            long waited = Stopwatch.GetTimestamp() - start;
            Interlocked.Add(ref _blockedTicks, waited);
            Interlocked.Increment(ref _blockedCount);
            _counters?.CountBlocked(waited);
            if (!got)
            {
                Fail($"disk stalled: no buffer block was freed for {_options.StallTimeout.TotalSeconds:0.###} s with {_options.BufferSeconds:0.###} s of samples buffered");
                return null;
            }
        }
        if (_failure is not null)
        {
            _freeBlocks.Release();
            return null;
        }
        FrameBlock block = _blocks[_fillSequence % _blocks.Length];
        _fillSequence++;
        block.Reset();
        _current = block;
        return block;
    }

    private void Publish()
    {
        _current = null;
        Volatile.Write(ref _publishedSequence, _publishedSequence + 1);
        _fullBlocks.Release();
    }

    private void ReleaseFull()
    {
        try { _fullBlocks.Release(); }
        catch (SemaphoreFullException) { }
    }

    private void Fail(string reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            _counters?.Fail(reason);
            // Nothing more reaches the disk: holding frames back on the acquisition node would not help.
            _counters?.MarkDurableThrough(long.MaxValue);
            // Wake a caller waiting for a free block so it sees the failure at once.
            try { _freeBlocks.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    // A remote recorder's consumer confirms frames to the acquisition node only up to what the files
    // hold durably (SinkCounters.DurableThrough): formats that say (BDF) bound it, the least one wins.
    private void ReportDurable()
    {
        long end = long.MaxValue;
        foreach (IRecordingFormatWriter f in _formats)
        {
            long durable = f.DurableEnd;
            if (durable >= 0) end = Math.Min(end, durable);
        }
        if (end != long.MaxValue) _counters?.MarkDurableThrough(end - 1);
    }

    private void WriterLoop()
    {
        long checkpointTicks = (long)(_options.CheckpointInterval.TotalSeconds * Stopwatch.Frequency);
        long lastCheckpoint = Stopwatch.GetTimestamp();
        bool end = false;
        try
        {
            while (!end)
            {
                int waitMs = (int)Math.Clamp(_options.CheckpointInterval.TotalMilliseconds, 1, int.MaxValue);
                if (_fullBlocks.Wait(waitMs))
                {
                    if (_drainSequence >= Volatile.Read(ref _publishedSequence))
                    {
                        // A wake-up without a block: Stop after a failure.
                        if (_failure is not null) break;
                        continue;
                    }
                    FrameBlock block = _blocks[_drainSequence % _blocks.Length];
                    _drainSequence++;
                    end = block.EndOfRecording;
                    if (_failure is null) WriteBlock(block);
                    block.Reset();
                    _freeBlocks.Release();
                    if (_failure is not null && _stopped) break;
                }
                else if (_failure is not null && _stopped)
                {
                    break;
                }
                if (_failure is null && Stopwatch.GetTimestamp() - lastCheckpoint >= checkpointTicks)
                {
                    lastCheckpoint = Stopwatch.GetTimestamp();
                    foreach (IRecordingFormatWriter f in _formats) f.Checkpoint();
                    ReportDurable();
                }
            }
            if (_failure is null)
            {
                DrainAnnotations();
                foreach (IRecordingFormatWriter f in _formats) f.Close();
            }
        }
        catch (Exception e)
        {
            Fail(Describe(e));
        }
        finally
        {
            if (_failure is not null)
            {
                foreach (IRecordingFormatWriter f in _formats)
                {
                    try { f.Abort(); }
                    catch (Exception) { /* the failure reason is already recorded; closing is best effort */ }
                }
            }
            foreach (IRecordingFormatWriter f in _formats)
            {
                try { f.Dispose(); }
                catch (Exception) { /* same */ }
            }
            _finished = true;
        }
    }

    private void WriteBlock(FrameBlock block)
    {
        try
        {
            DrainAnnotations();
            foreach (IRecordingFormatWriter f in _formats) f.Write(block);
        }
        catch (Exception e)
        {
            Fail(Describe(e));
        }
    }

    private void DrainAnnotations()
    {
        lock (_annotationLock)
        {
            foreach (var (index, duration, text) in _pendingAnnotations)
            {
                foreach (IRecordingFormatWriter f in _formats) f.Annotate(index, duration, text);
            }
            _pendingAnnotations.Clear();
        }
    }

    private string Describe(Exception e)
    {
        string what = e switch
        {
            IOException io when IsDiskFull(io) => "disk full",
            IOException => "I/O error",
            UnauthorizedAccessException => "access denied",
            _ => "write failed",
        };
        return $"{what} writing {string.Join(", ", _formats.Select(f => f.Path))}: {e.Message.ReplaceLineEndings(" ")}";
    }

    private static bool IsDiskFull(IOException e) =>
        // ENOSPC on Linux (28), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
        (e.HResult & 0xFFFF) is 28 or 39 or 112 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
}
