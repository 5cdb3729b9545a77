using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Eeg.Tests.MultiNode.Tls;

/// <summary>
/// Lab certificates made at test time (what deploy/make-lab-certificate.sh makes with openssl): a
/// self-signed RSA certificate with its private key in a password-protected .pfx, in a folder of the
/// test's own that is deleted with it.
/// </summary>
internal sealed class LabCertificates : IDisposable
{
    public const string Password = "lab-test-password";

    public LabCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("eeg-tls-").FullName;
    }

    public string Directory { get; }

    /// <summary>Writes a new self-signed certificate (same subject every time, new key) to NAME.pfx.</summary>
    public string Make(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=eeg-lab", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using X509Certificate2 certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1));
        string path = Path.Combine(Directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }

    /// <summary>A .pfx that holds only the public certificate of <paramref name="pfx"/> (no private key).</summary>
    public string PublicOnly(string pfx, string name)
    {
        using X509Certificate2 full = X509CertificateLoader.LoadPkcs12FromFile(pfx, Password);
        using X509Certificate2 publicPart = X509CertificateLoader.LoadCertificate(full.RawData);
        string path = Path.Combine(Directory, name + ".pfx");
        File.WriteAllBytes(path, new X509Certificate2Collection(publicPart).Export(X509ContentType.Pkcs12, Password)!);
        return path;
    }

    public static X509Certificate2 Load(string pfx) => X509CertificateLoader.LoadPkcs12FromFile(pfx, Password);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A node still holding a file open; the temp folder is cleaned by the OS.
        }
    }
}
