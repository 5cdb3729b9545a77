using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Eeg.Pipeline.Cluster;

namespace Eeg.Tests.MultiNode.Tls;

public sealed class LabPeerVerifierTests : IDisposable
{
    private readonly LabCertificates _certificates = new();

    [Fact]
    public void The_lab_certificate_is_accepted_even_though_no_trust_store_knows_it()
    {
        using X509Certificate2 lab = LabCertificates.Load(_certificates.Make("lab"));
        var verifier = new LabPeerVerifier(lab);

        // What the operating system's chain check reports for a self-signed certificate.
        Assert.True(verifier.Verify(lab, null, "peer", SslPolicyErrors.RemoteCertificateChainErrors, null));
        Assert.Equal(1, verifier.Accepted);
    }

    [Fact]
    public void A_certificate_with_the_same_name_but_another_key_is_refused()
    {
        using X509Certificate2 lab = LabCertificates.Load(_certificates.Make("lab"));
        using X509Certificate2 other = LabCertificates.Load(_certificates.Make("other"));
        var verifier = new LabPeerVerifier(lab);

        Assert.Equal(lab.Subject, other.Subject);
        Assert.False(verifier.Verify(other, null, "peer", SslPolicyErrors.None, null));
        Assert.Equal(1, verifier.Refused);
    }

    [Fact]
    public void A_peer_without_a_certificate_is_refused()
    {
        using X509Certificate2 lab = LabCertificates.Load(_certificates.Make("lab"));
        var verifier = new LabPeerVerifier(lab);

        Assert.False(verifier.Verify(null, null, "peer", SslPolicyErrors.RemoteCertificateNotAvailable, null));
        Assert.Equal(1, verifier.Refused);
        Assert.Equal(0, verifier.Accepted);
    }

    public void Dispose() => _certificates.Dispose();
}
