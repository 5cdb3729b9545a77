using System.Net.WebSockets;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Streaming;
using Eeg.Pipeline.Slabs;
using Eeg.Tests.Gateway.Node.Support;

namespace Eeg.Tests.Gateway.Node;

public class ScopeSinkAllocationTests
{
    [Fact]
    public void Encoding_a_frame_and_offering_it_to_three_clients_allocates_nothing_once_warm()
    {
        var settings = GatewaySettings.Default;
        var hub = new ScopeHub(settings);
        var clients = Enumerable.Range(1, 3)
            .Select(i => new ScopeClient(i, WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true }), "test", settings, hub))
            .ToArray();
        typeof(ScopeHub).GetField("_clients", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(hub, clients);
        var pool = new SlabPool(4, 32, 1);

        void Publish(long index)
        {
            Assert.True(pool.TryRent(out Slab slab));
            for (int c = 0; c < 32; c++) slab.Microvolts[c] = EegTestSignal.Value(index, c, 4000);
            slab.FirstSampleIndex = index;
            slab.SampleCount = 1;
            hub.Publish(slab);
            slab.Release();
        }

        // Warm-up: fills every client's queue (they are not read, so they keep dropping the
        // oldest message) until the encoded-frame pool has all the frames the queues can hold.
        for (long i = 0; i < 20_000; i++) Publish(i);
        long created = hub.Pool.Created;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long i = 20_000; i < 40_000; i++) Publish(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(created, hub.Pool.Created);
        Assert.All(clients, c => Assert.True(c.Snapshot().FramesDropped > 0));
    }
}
