using Akka.Configuration;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Dispatch;
using Eeg.Pipeline.Mailboxes;

namespace Eeg.Pipeline.Cluster;

/// <summary>The Akka settings every node role shares: quiet logs, the policy mailboxes, the sink dispatchers.</summary>
public static class RoleNodeConfig
{
    public static Config Akka(PipelineSettings settings) =>
        ConfigurationFactory.ParseString(
                "akka.loglevel = INFO\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off\n" +
                "akka.coordinated-shutdown.run-by-default = off\n")
            .WithFallback(ConfigurationFactory.ParseString(PolicyMailboxes.Hocon))
            .WithFallback(ConfigurationFactory.ParseString(SinkDispatchers.Hocon(PipelineSettings.Word(settings.WaitStrategy))));

    /// <summary>The stream as this node's configuration describes it, until the acquisition node's own description arrives.</summary>
    public static Eeg.Shared.Frames.StreamDescription ProvisionalStream(PipelineSettings settings) =>
        new(settings.ChannelNames, settings.SampleRate, settings.FrameSamples, settings.Gain, settings.ReferenceVolts, "uV", "(from the acquisition node)", 0, "remote");
}
