using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Eeg.Pipeline.Configuration;

namespace Eeg.Pipeline.Cluster;

/// <summary>
/// The cluster-node.tls block: whether Akka.Remote runs over TLS with the lab certificate, and
/// whether a node may bind a non-loopback address without it. The certificate is loaded here, at
/// start-up, so that a missing file or a wrong password is one line before anything listens.
/// </summary>
/// <remarks>
/// The password is not kept (a record prints its properties; the certificate is all the node needs).
/// </remarks>
public sealed record ClusterTlsSettings
{
    public bool Enabled { get; init; }
    public string CertificatePath { get; init; } = "";
    public bool AllowPlaintextRemote { get; init; }

    /// <summary>The lab certificate with its private key, when <see cref="Enabled"/>.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>"akka.ssl.tcp" with TLS, "akka.tcp" without: the scheme of every address of the cluster.</summary>
    public string Protocol => Enabled ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>Reads cluster-node.tls and checks it against the address the node binds.</summary>
    /// <param name="hostname">cluster-node.hostname.</param>
    internal static ClusterTlsSettings Read(ConfigReader tls, string hostname)
    {
        bool enabled = tls.Switch("enabled");
        bool allowPlaintext = tls.Switch("allow-plaintext-remote");
        string path = tls.String("certificate-path", "the path of the lab certificate (.pfx, deploy/make-lab-certificate.sh makes it)");
        string password = tls.String("certificate-password", "the password of the lab certificate");
        string passwordFile = tls.String("certificate-password-file", "a file whose first line is the password (lab.password)");
        if (!enabled)
        {
            if (!IsLoopback(hostname) && !allowPlaintext)
            {
                throw ConfigException.Invalid("cluster-node.hostname", hostname,
                    "a loopback address (127.0.0.1) unless cluster-node.tls.enabled = on (or cluster-node.tls.allow-plaintext-remote = on, which sends the EEG unencrypted to anyone on that network)");
            }
            return new ClusterTlsSettings { Enabled = false, AllowPlaintextRemote = allowPlaintext };
        }
        return new ClusterTlsSettings
        {
            Enabled = true,
            CertificatePath = path,
            AllowPlaintextRemote = allowPlaintext,
            Certificate = passwordFile.Length > 0
                ? Load(tls.KeyOf("certificate-path"), path, $"{tls.KeyOf("certificate-password-file")} = \"{passwordFile}\" does not hold", ReadPassword(tls.KeyOf("certificate-password-file"), passwordFile))
                : Load(tls.KeyOf("certificate-path"), path, $"{tls.KeyOf("certificate-password")} is not", password),
        };
    }

    /// <summary>127.0.0.0/8, ::1 and "localhost"; any other address or name reaches other machines.</summary>
    public static bool IsLoopback(string hostname) =>
        string.Equals(hostname, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(hostname, out IPAddress? address) && IPAddress.IsLoopback(address));

    private static string ReadPassword(string key, string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            return reader.ReadLine() ?? "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ConfigException.Invalid(key, file, $"a readable file whose first line is the certificate's password ({OneLine(ex.Message)})");
        }
    }

    /// <param name="passwordIsNot">The start of the wrong-password line, naming where the password came from.</param>
    private static X509Certificate2 Load(string pathKey, string path, string passwordIsNot, string password)
    {
        const string made = "a .pfx file made by deploy/make-lab-certificate.sh";
        if (path.Length == 0) throw ConfigException.Invalid(pathKey, path, $"{made} (required when cluster-node.tls.enabled = on)");
        if (!File.Exists(path)) throw ConfigException.Invalid(pathKey, path, $"{made}; there is no such file");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException ex) when (IsWrongPassword(ex))
        {
            // The password itself is never printed.
            throw new ConfigException($"{passwordIsNot} the password of {path}: give the one it was made with (the lab.password beside it; EEG_CLUSTER_CERTIFICATE_PASSWORD_FILE)", ex);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw ConfigException.Invalid(pathKey, path, $"{made}; it could not be read ({OneLine(ex.Message)})");
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw ConfigException.Invalid(pathKey, path, $"{made}; this file holds no private key");
        }
        DateTime now = DateTime.Now;
        if (now > certificate.NotAfter || now < certificate.NotBefore)
        {
            string span = $"valid {certificate.NotBefore:yyyy-MM-dd} to {certificate.NotAfter:yyyy-MM-dd}";
            certificate.Dispose();
            throw ConfigException.Invalid(pathKey, path, $"a certificate valid today; this one is {span} (make a new one and copy it to every node)");
        }
        return certificate;
    }

    // .NET reports a wrong PKCS#12 password as "The certificate data cannot be read with the provided
    // password, the password may be incorrect." (Linux) or "The specified network password is not correct." (Windows).
    private static bool IsWrongPassword(CryptographicException ex) =>
        ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
