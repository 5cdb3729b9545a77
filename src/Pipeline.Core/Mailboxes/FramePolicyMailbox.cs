using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;

namespace Eeg.Pipeline.Mailboxes;

/// <summary>
/// Base of the four policy mailbox types named in HOCON (see <see cref="PolicyMailboxes.Hocon"/>).
/// A sink actor's depth, timeout and counters come from the <see cref="SinkRegistry"/> entry under
/// the actor's name; an actor not registered there gets the mailbox block's own capacity and is
/// registered under its name, so every sink is counted either way.
/// </summary>
public abstract class FramePolicyMailbox : MailboxType, IProducesMessageQueue<FramePolicyMessageQueue>
{
    private readonly int _capacity;
    private readonly TimeSpan _losslessTimeout;
    private readonly int _decimateFactor;

    protected FramePolicyMailbox(Settings settings, Config config, SinkPolicy policy) : base(settings, config)
    {
        Policy = policy;
        _capacity = config.GetInt("capacity", 4);
        _losslessTimeout = config.GetTimeSpan("lossless-timeout", TimeSpan.FromSeconds(5));
        _decimateFactor = config.GetInt("decimate-factor", 4);
    }

    /// <summary>The policy this mailbox type enforces.</summary>
    public SinkPolicy Policy { get; }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system)
    {
        SinkRegistry registry = SinkRegistry.For(system);
        string name = owner.Path.Name;
        if (!registry.TryGet(name, out SinkSettings sink, out SinkCounters counters))
        {
            sink = new SinkSettings(name, Policy, _capacity, _losslessTimeout, _decimateFactor);
            counters = registry.Register(sink);
        }
        var frames = new FramePolicyQueue(Policy, sink.Capacity, sink.LosslessTimeout, Math.Max(1, sink.DecimateFactor), counters);
        return new FramePolicyMessageQueue(frames, Policy == SinkPolicy.Lossless ? sink.LosslessTimeout : TimeSpan.Zero);
    }
}

/// <summary>When full, the oldest queued frame is dropped (live views).</summary>
public sealed class DropOldestMailbox(Settings settings, Config config) : FramePolicyMailbox(settings, config, SinkPolicy.DropOldest);

/// <summary>When full, the arriving frame is dropped.</summary>
public sealed class DropNewestMailbox(Settings settings, Config config) : FramePolicyMailbox(settings, config, SinkPolicy.DropNewest);

/// <summary>When full, every k-th arriving frame replaces the oldest; the others are dropped.</summary>
public sealed class DecimateMailbox(Settings settings, Config config) : FramePolicyMailbox(settings, config, SinkPolicy.Decimate);

/// <summary>When full, the sender waits up to the timeout; past it the sink is marked failed.</summary>
public sealed class LosslessMailbox(Settings settings, Config config) : FramePolicyMailbox(settings, config, SinkPolicy.Lossless);

/// <summary>The HOCON that declares the four mailboxes, and their ids.</summary>
public static class PolicyMailboxes
{
    /// <summary>HOCON path of the mailbox for a policy, for <c>Props.WithMailbox</c>.</summary>
    public static string IdFor(SinkPolicy policy) => policy switch
    {
        SinkPolicy.DropOldest => "eeg.mailboxes.drop-oldest",
        SinkPolicy.DropNewest => "eeg.mailboxes.drop-newest",
        SinkPolicy.Decimate => "eeg.mailboxes.decimate",
        SinkPolicy.Lossless => "eeg.mailboxes.lossless",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>Added to every actor system of the project (the nodes and the tests).</summary>
    public const string Hocon = """
        eeg.mailboxes {
          # capacity, lossless-timeout and decimate-factor here are fallbacks for actors that are
          # not registered in the SinkRegistry; registered sinks take theirs from pipeline.sinks.
          drop-oldest { mailbox-type = "Eeg.Pipeline.Mailboxes.DropOldestMailbox, Pipeline.Core", capacity = 4 }
          drop-newest { mailbox-type = "Eeg.Pipeline.Mailboxes.DropNewestMailbox, Pipeline.Core", capacity = 4 }
          decimate { mailbox-type = "Eeg.Pipeline.Mailboxes.DecimateMailbox, Pipeline.Core", capacity = 4, decimate-factor = 4 }
          lossless { mailbox-type = "Eeg.Pipeline.Mailboxes.LosslessMailbox, Pipeline.Core", capacity = 1, lossless-timeout = 5s }
        }
        """;
}
