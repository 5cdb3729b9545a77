using Akka.Actor;
using Akka.TestKit.Xunit2;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;

namespace Eeg.Tests.Pipeline.Core.Mailboxes;

public sealed class PolicyMailboxTests : TestKit
{
    public PolicyMailboxTests() : base(PolicyMailboxes.Hocon) { }

    /// <summary>A sink that waits for a go signal before it takes its first frame, then reports each index.</summary>
    private sealed class GatedSink : FrameSinkActor
    {
        private readonly ManualResetEventSlim _gate;
        private readonly IActorRef _probe;

        public GatedSink(SinkCounters counters, ManualResetEventSlim gate, IActorRef probe) : base(counters)
        {
            _gate = gate;
            _probe = probe;
        }

        protected override void OnFrame(Slab slab)
        {
            _gate.Wait();
            _probe.Tell(slab.FirstSampleIndex);
        }
    }

    [Theory]
    [InlineData(SinkPolicy.DropOldest, new long[] { 0, 7, 8, 9 })]
    [InlineData(SinkPolicy.DropNewest, new long[] { 0, 1, 2, 3 })]
    public void A_sink_behind_its_policy_mailbox_loses_frames_as_its_policy_says(SinkPolicy policy, long[] expected)
    {
        var pool = new SlabPool(16, 8, 1);
        var settings = new SinkSettings("gated-" + policy, policy, 3, TimeSpan.FromSeconds(1), 4);
        SinkCounters counters = SinkRegistry.For(Sys).Register(settings);
        using var gate = new ManualResetEventSlim(false);
        IActorRef sink = Sys.ActorOf(
            Props.Create(() => new GatedSink(counters, gate, TestActor)).WithMailbox(PolicyMailboxes.IdFor(policy)),
            settings.Name);

        for (long i = 0; i < 10; i++)
        {
            Assert.True(pool.TryRent(out Slab slab));
            slab.FirstSampleIndex = i;
            slab.SampleCount = 1;
            sink.Tell(slab);
            if (i == 0) AwaitCondition(() => counters.Delivered == 1); // frame 0 is in the sink's hands
        }
        gate.Set();

        foreach (long index in expected) ExpectMsg(index);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(6, counters.Dropped);
        AwaitCondition(() => pool.Available == pool.Capacity);
    }

    [Fact]
    public void A_lossless_sink_that_never_takes_a_frame_is_marked_failed_after_its_timeout()
    {
        var pool = new SlabPool(8, 8, 1);
        var settings = new SinkSettings("stuck-recorder", SinkPolicy.Lossless, 1, TimeSpan.FromMilliseconds(300), 4);
        SinkCounters counters = SinkRegistry.For(Sys).Register(settings);
        using var gate = new ManualResetEventSlim(false);
        IActorRef sink = Sys.ActorOf(
            Props.Create(() => new GatedSink(counters, gate, TestActor)).WithMailbox(PolicyMailboxes.IdFor(SinkPolicy.Lossless)),
            settings.Name);

        for (long i = 0; i < 3; i++)
        {
            Assert.True(pool.TryRent(out Slab slab));
            slab.FirstSampleIndex = i;
            slab.SampleCount = 1;
            sink.Tell(slab); // the third Tell blocks 300 ms in the mailbox, then fails the sink
            if (i == 0) AwaitCondition(() => counters.Delivered == 1);
        }
        Assert.True(counters.Failed);
        Assert.Equal(1, counters.Dropped);
        gate.Set();
        ExpectMsg(0L);
        ExpectMsg(1L);
        AwaitCondition(() => pool.Available == pool.Capacity);
    }

    [Fact]
    public void Telling_frames_to_a_policy_mailbox_allocates_nothing_on_the_sending_thread()
    {
        var pool = new SlabPool(64, 8, 1);
        var settings = new SinkSettings("counting", SinkPolicy.DropOldest, 4, TimeSpan.FromSeconds(1), 4);
        SinkCounters counters = SinkRegistry.For(Sys).Register(settings);
        using var open = new ManualResetEventSlim(true);
        IActorRef sink = Sys.ActorOf(
            Props.Create(() => new GatedSink(counters, open, ActorRefs.Nobody)).WithMailbox(PolicyMailboxes.IdFor(SinkPolicy.DropOldest)),
            settings.Name);

        void Send(int frames)
        {
            for (int i = 0; i < frames; i++)
            {
                Slab slab;
                while (!pool.TryRent(out slab)) Thread.Yield();
                slab.SampleCount = 1;
                sink.Tell(slab, ActorRefs.NoSender);
            }
        }
        Send(2_000); // warm-up: JIT, thread pool, dispatcher
        long before = GC.GetAllocatedBytesForCurrentThread();
        Send(10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
