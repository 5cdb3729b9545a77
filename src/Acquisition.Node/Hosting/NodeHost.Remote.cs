using Eeg.Acquisition.Actors;
using Eeg.Acquisition.Remote;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Remote;

namespace Eeg.Acquisition.Hosting;

// In a cluster, the roles this process does not run get their frames through remote sinks.
public sealed partial class NodeHost
{
    // Local queue depths of the remote sinks. The remote recorder's is the longest the validation allows
    // (1024 frames, 256 ms at 1-sample frames): its actor spools to disk when the processing node is away,
    // and on the first lab run a 64-deep queue blocked the DSP thread 2.4 s in all and cost 2959 overruns
    // while the spool drained on a starved 2-core machine (ThreeNodeLabTests). The slabs are counted in
    // the pool (WithSlabsForQueues), ~1 MB at 32 channels.
    private const int RemoteRecorderCapacity = 1024;
    private const int RemoteScopeCapacity = 64;

    /// <summary>The remote sinks' own thread each: the thread pool's wake-ups stalled them under load.</summary>
    internal const string RemoteSinkDispatcher = ClusterSystem.RemoteSinkDispatcher;

    private static IEnumerable<int> RemoteSinkCapacities(ClusterNodeSettings cluster)
    {
        if (!cluster.Enabled) yield break;
        if (!cluster.Has(ClusterNodeSettings.Processing)) yield return RemoteRecorderCapacity;
        if (!cluster.Has(ClusterNodeSettings.Gateway)) yield return RemoteScopeCapacity;
    }

    private static void AddRemoteSinks(List<SinkRegistration> sinks, PipelineSettings settings, ClusterNodeSettings cluster)
    {
        if (!cluster.Enabled) return;
        if (!cluster.Has(ClusterNodeSettings.Processing))
        {
            // Lossless end to end: the local mailbox waits like the recorder's would (the remote sink's
            // actor only copies into a batch, or spools), with the recorder's timeout.
            TimeSpan timeout = settings.Sinks.FirstOrDefault(s => s.Name == "recorder")?.LosslessTimeout ?? TimeSpan.FromSeconds(5);
            var local = new SinkSettings(ClusterNodeSettings.RecorderSink, SinkPolicy.Lossless, RemoteRecorderCapacity, timeout, 4);
            sinks.Add(new SinkRegistration(local, counters => RemoteSinkActor.Props(Options(cluster, ClusterNodeSettings.RecorderSink, SinkPolicy.Lossless), counters).WithDispatcher(RemoteSinkDispatcher)));
        }
        if (!cluster.Has(ClusterNodeSettings.Gateway))
        {
            // 64 like the recorder's: this actor only copies, and out of credit the remote sink drops by
            // its own policy; a shallow local queue dropped 20% on the first lab run (thread-pool wake-ups).
            var local = new SinkSettings(ClusterNodeSettings.ScopeSink, SinkPolicy.DropOldest, RemoteScopeCapacity, TimeSpan.FromSeconds(5), 4);
            sinks.Add(new SinkRegistration(local, counters => RemoteSinkActor.Props(Options(cluster, ClusterNodeSettings.ScopeSink, SinkPolicy.DropOldest), counters).WithDispatcher(RemoteSinkDispatcher)));
        }
    }

    private static RemoteSinkOptions Options(ClusterNodeSettings cluster, string name, SinkPolicy policy) => new()
    {
        Name = name,
        Policy = policy,
        BatchInterval = cluster.BatchInterval,
        PendingBatches = cluster.PendingBatches,
        MemoryBatches = cluster.MemoryBatches,
        SpoolDirectory = cluster.SpoolDirectory,
        SpoolDuration = cluster.SpoolDuration,
    };
}
