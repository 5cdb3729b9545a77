using Akka.Cluster;
using Eeg.Pipeline.Cluster;

namespace Eeg.Tests.MultiNode.Tls;

/// <summary>
/// Two nodes over Akka.Remote with TLS on 127.0.0.1, started as the nodes start (ClusterSystem from
/// cluster-node settings): the lab certificate lets a node in, any other certificate keeps it out.
/// </summary>
public sealed class TlsClusterTests : IDisposable
{
    private static readonly TimeSpan s_join = TimeSpan.FromSeconds(60);
    private readonly LabCertificates _certificates = new();

    [Fact]
    public async Task Two_nodes_with_the_lab_certificate_form_a_cluster_over_tls()
    {
        string lab = _certificates.Make("lab");
        await using ClusterSystem first = await TlsNode.StartFirstAsync(lab);
        await using ClusterSystem second = await TlsNode.StartJoiningAsync(lab, first);

        Assert.Equal("akka.ssl.tcp", Cluster.Get(first.System).SelfAddress.Protocol);
        bool joined = await TlsNode.EventuallyAsync(() => TlsNode.UpMembers(first) == 2 && TlsNode.UpMembers(second) == 2, s_join);

        Assert.True(joined, $"members seen by the first node: {string.Join(", ", Cluster.Get(first.System).State.Members)}");
        Assert.True(first.Peers!.Accepted > 0 && second.Peers!.Accepted > 0, "both ends checked the other's certificate");
        Assert.Equal(0, first.Peers.Refused + second.Peers.Refused);
    }

    [Fact]
    public async Task A_node_with_another_certificate_of_the_same_name_is_refused_and_never_becomes_a_member()
    {
        string lab = _certificates.Make("lab");
        string other = _certificates.Make("other"); // same subject (CN=eeg-lab), another key
        await using ClusterSystem first = await TlsNode.StartFirstAsync(lab);
        Assert.True(await TlsNode.EventuallyAsync(() => TlsNode.UpMembers(first) == 1, s_join), "the first node is up on its own");

        await using ClusterSystem intruder = await TlsNode.StartJoiningAsync(other, first);

        bool Appeared() => TlsNode.IsMemberOf(intruder, first) || Cluster.Get(intruder.System).SelfMember.Status == MemberStatus.Up;
        // The intruder's join attempts reach the first node: wait until a handshake was refused (or,
        // if validation were off, until the intruder got in)...
        await TlsNode.EventuallyAsync(() => first.Peers!.Refused + intruder.Peers!.Refused >= 2 || Appeared(), s_join);
        // ...then for as long as an honest node takes to join (the test above: a few seconds), the
        // intruder never shows up as a member on either side.
        bool appeared = await TlsNode.EventuallyAsync(Appeared, TimeSpan.FromSeconds(10));

        Assert.False(appeared, $"members seen by the first node: {string.Join(", ", Cluster.Get(first.System).State.Members)}");
        Assert.True(first.Peers!.Refused + intruder.Peers!.Refused >= 2, $"refusals: first {first.Peers.Refused}, intruder {intruder.Peers.Refused}");
        Assert.Equal(1, TlsNode.UpMembers(first));
        Assert.Equal(0, first.Peers.Accepted);
    }

    public void Dispose() => _certificates.Dispose();
}
