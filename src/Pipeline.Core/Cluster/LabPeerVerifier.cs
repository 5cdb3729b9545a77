using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;

namespace Eeg.Pipeline.Cluster;

/// <summary>
/// How a node decides that a TLS peer belongs to the lab: every node holds the same lab certificate
/// (deploy/make-lab-certificate.sh), and a peer is accepted only when the certificate it presents is
/// that certificate, byte for byte (its SHA-256 hash). Both sides check (Akka's mutual TLS), so a
/// node with another certificate can neither join nor be joined.
/// </summary>
/// <remarks>
/// Why pinning and not the operating system's chain check: the lab certificate is self-signed and in
/// no trust store, so the chain check would refuse every node (or would have to be suppressed, which
/// accepts any certificate at all). Pinning needs no trust store and no DNS names (labs use IP
/// addresses), and a stolen certificate is the only way in, which is why its private key stays 0600
/// on the lab machines (deploy/README.md). Changing the certificate means copying the new one to
/// every node and restarting them all.
/// </remarks>
public sealed class LabPeerVerifier
{
    private readonly byte[] _labHash;
    private long _accepted;
    private long _refused;

    public LabPeerVerifier(X509Certificate2 labCertificate)
    {
        _labHash = labCertificate.GetCertHash(HashAlgorithmName.SHA256);
        LabFingerprint = Convert.ToHexString(_labHash);
    }

    /// <summary>SHA-256 of the lab certificate, as hex (what `openssl x509 -fingerprint -sha256` prints, without colons).</summary>
    public string LabFingerprint { get; }

    /// <summary>Handshakes whose peer presented the lab certificate.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Handshakes refused: no certificate, or another one.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Akka.Remote's validation callback (DotNetty transport, both client and server side).</summary>
    public bool Verify(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter? log)
    {
        if (certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), _labHash))
        {
            Interlocked.Increment(ref _accepted);
            return true;
        }
        Interlocked.Increment(ref _refused);
        log?.Warning("Refused TLS peer {0}: {1} is not the lab certificate (SHA-256 {2})", remotePeer,
            certificate is null ? "it presented no certificate" : $"its certificate {certificate.Subject} (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)})",
            LabFingerprint);
        return false;
    }
}
