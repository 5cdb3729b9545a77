using Eeg.Acquisition.Actors;
using Eeg.Acquisition.Remote;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Remote;

namespace Eeg.Acquisition.Hosting;

// In a cluster, the roles this process does not run get their frames through remote sinks.
public sealed partial class NodeHost
{
    private static void AddRemoteSinks(List<SinkRegistration> sinks, PipelineSettings settings, ClusterNodeSettings cluster)
    {
        if (!cluster.Enabled) return;
        if (!cluster.Has(ClusterNodeSettings.Processing))
        {
            // Lossless end to end: the local mailbox waits like the recorder's would (the remote sink's
            // actor only copies into a batch, or spools), with the recorder's timeout.
            TimeSpan timeout = settings.Sinks.FirstOrDefault(s => s.Name == "recorder")?.LosslessTimeout ?? TimeSpan.FromSeconds(5);
            var local = new SinkSettings(ClusterNodeSettings.RecorderSink, SinkPolicy.Lossless, 64, timeout, 4);
            sinks.Add(new SinkRegistration(local, counters => RemoteSinkActor.Props(Options(cluster, ClusterNodeSettings.RecorderSink, SinkPolicy.Lossless), counters)));
        }
        if (!cluster.Has(ClusterNodeSettings.Gateway))
        {
            // 64 like the recorder's: this actor only copies, and out of credit the remote sink drops by
            // its own policy; a shallow local queue dropped 20% on the first lab run (thread-pool wake-ups).
            var local = new SinkSettings(ClusterNodeSettings.ScopeSink, SinkPolicy.DropOldest, 64, TimeSpan.FromSeconds(5), 4);
            sinks.Add(new SinkRegistration(local, counters => RemoteSinkActor.Props(Options(cluster, ClusterNodeSettings.ScopeSink, SinkPolicy.DropOldest), counters)));
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
