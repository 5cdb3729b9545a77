using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Dispatch;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;

namespace Eeg.Tests.Pipeline.Core.Dispatch;

public sealed class WaitStrategyExecutorTests : TestKit
{
    public WaitStrategyExecutorTests() : base(ConfigurationFactory.ParseString(
        PolicyMailboxes.Hocon + "\n" + SinkDispatchers.Hocon("blocking") +
        "\neeg.dispatchers.yielding = ${eeg.dispatchers.low-latency} { wait-strategy = yielding }")) { }

    private sealed class IndexChecker : FrameSinkActor
    {
        private readonly IActorRef _probe;
        private readonly int _expected;
        private long _next;
        private int _seen;

        public IndexChecker(SinkCounters counters, IActorRef probe, int expected) : base(counters)
        {
            _probe = probe;
            _expected = expected;
        }

        protected override void OnFrame(Slab slab)
        {
            if (slab.FirstSampleIndex != _next) _probe.Tell($"out of order: {slab.FirstSampleIndex} after {_next - 1}");
            _next = slab.FirstSampleIndex + 1;
            if (++_seen == _expected) _probe.Tell("all seen");
        }
    }

    [Theory]
    [InlineData(SinkDispatchers.LowLatency)]
    [InlineData("eeg.dispatchers.yielding")]
    public void A_sink_on_the_low_latency_dispatcher_receives_every_frame_in_order(string dispatcher)
    {
        const int frames = 20_000;
        var pool = new SlabPool(64, 8, 1);
        var settings = new SinkSettings("checker-" + dispatcher.Replace('.', '-'), SinkPolicy.Lossless, 8, TimeSpan.FromSeconds(10), 4);
        SinkCounters counters = SinkRegistry.For(Sys).Register(settings);
        IActorRef sink = Sys.ActorOf(
            Props.Create(() => new IndexChecker(counters, TestActor, frames))
                .WithMailbox(PolicyMailboxes.IdFor(SinkPolicy.Lossless))
                .WithDispatcher(dispatcher),
            settings.Name);

        for (long i = 0; i < frames; i++)
        {
            Slab slab;
            while (!pool.TryRent(out slab)) Thread.Yield();
            slab.FirstSampleIndex = i;
            slab.SampleCount = 1;
            sink.Tell(slab);
        }

        ExpectMsg("all seen", TimeSpan.FromSeconds(30));
        Assert.Equal(0, counters.Dropped);
        Assert.False(counters.Failed);
        AwaitCondition(() => pool.Available == pool.Capacity);
    }
}
