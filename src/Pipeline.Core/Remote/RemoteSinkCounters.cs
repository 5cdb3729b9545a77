using System.Collections.Concurrent;
using Akka.Actor;

namespace Eeg.Pipeline.Remote;

/// <summary>
/// The sending side of one remote sink as status shows it: the consumer's credit, what is in flight,
/// what is kept for it in memory and in the spool, and every loss. Written by the remote sink's actor
/// only (plain volatile writes), read by status.
/// </summary>
public sealed class RemoteSinkCounters(string name, bool lossless)
{
    private long _credit, _inFlight, _inMemory, _spooledBatches, _spoolBytes, _spooledFrames;
    private long _batchesSent, _framesSent, _droppedFrames, _lostSamples, _resubscriptions;
    private volatile string? _consumer;

    public string Name { get; } = name;
    public bool Lossless { get; } = lossless;

    /// <summary>Batches the consumer lets this side send now.</summary>
    public long Credit { get => Volatile.Read(ref _credit); set => Volatile.Write(ref _credit, value); }
    /// <summary>Batches sent and not yet acknowledged.</summary>
    public long InFlight { get => Volatile.Read(ref _inFlight); set => Volatile.Write(ref _inFlight, value); }
    /// <summary>Batches waiting in memory (lossless: unacknowledged; lossy: waiting for credit).</summary>
    public long InMemory { get => Volatile.Read(ref _inMemory); set => Volatile.Write(ref _inMemory, value); }
    /// <summary>Batches in the spool file.</summary>
    public long SpooledBatches { get => Volatile.Read(ref _spooledBatches); set => Volatile.Write(ref _spooledBatches, value); }
    /// <summary>Frames in the spool file.</summary>
    public long SpooledFrames { get => Volatile.Read(ref _spooledFrames); set => Volatile.Write(ref _spooledFrames, value); }
    /// <summary>Bytes of the spool file in use.</summary>
    public long SpoolBytes { get => Volatile.Read(ref _spoolBytes); set => Volatile.Write(ref _spoolBytes, value); }
    public long BatchesSent => Volatile.Read(ref _batchesSent);
    public long FramesSent => Volatile.Read(ref _framesSent);
    /// <summary>Frames dropped on this side: out of credit (lossy) or spool full (lossless).</summary>
    public long DroppedFrames => Volatile.Read(ref _droppedFrames);
    /// <summary>Samples of the dropped frames: the gaps the consumer's sinks see (annotated, never silent).</summary>
    public long LostSamples => Volatile.Read(ref _lostSamples);
    /// <summary>Times a consumer (re)subscribed.</summary>
    public long Subscriptions => Volatile.Read(ref _resubscriptions);
    /// <summary>The consumer's address, or null while none is subscribed.</summary>
    public string? Consumer { get => _consumer; set => _consumer = value; }

    public void CountSent(int frames)
    {
        Interlocked.Increment(ref _batchesSent);
        Interlocked.Add(ref _framesSent, frames);
    }

    public void CountDropped(int frames, long samples)
    {
        Interlocked.Add(ref _droppedFrames, frames);
        Interlocked.Add(ref _lostSamples, samples);
    }

    public void CountSubscription() => Interlocked.Increment(ref _resubscriptions);
}

/// <summary>The remote sinks of one actor system, for status.</summary>
public sealed class RemoteSinkRegistry : IExtension
{
    private readonly ConcurrentDictionary<string, RemoteSinkCounters> _sinks = new(StringComparer.Ordinal);

    public static RemoteSinkRegistry For(ActorSystem system) => system.WithExtension<RemoteSinkRegistry, RemoteSinkRegistryProvider>();

    public RemoteSinkCounters Register(string name, bool lossless) => _sinks.GetOrAdd(name, n => new RemoteSinkCounters(n, lossless));

    public IReadOnlyList<RemoteSinkCounters> All => _sinks.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
}

/// <summary>Akka extension id for <see cref="RemoteSinkRegistry"/>.</summary>
public sealed class RemoteSinkRegistryProvider : ExtensionIdProvider<RemoteSinkRegistry>
{
    public override RemoteSinkRegistry CreateExtension(ExtendedActorSystem system) => new();
}
