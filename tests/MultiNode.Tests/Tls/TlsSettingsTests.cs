using Akka.Configuration;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.MultiNode.Tls;

/// <summary>cluster-node.tls and the bind address: each mistake is one line naming the key.</summary>
public sealed class TlsSettingsTests : IDisposable
{
    private readonly LabCertificates _certificates = new();

    [Fact]
    public void By_default_a_node_binds_loopback_without_tls()
    {
        ClusterNodeSettings settings = Read("enabled = on");

        Assert.Equal("127.0.0.1", settings.Hostname);
        Assert.False(settings.Tls.Enabled);
        Assert.Null(settings.Tls.Certificate);
    }

    [Fact]
    public void A_lab_certificate_is_loaded_with_its_private_key_and_the_seeds_use_tls_addresses()
    {
        string lab = _certificates.Make("lab");

        ClusterNodeSettings settings = Read($$"""enabled = on, hostname = "10.1.2.3", seed-nodes = "akka.ssl.tcp://eeg@10.1.2.3:4053", tls { enabled = on, certificate-path = "{{lab}}", certificate-password = "{{LabCertificates.Password}}" }""");

        Assert.True(settings.Tls.Enabled);
        Assert.True(settings.Tls.Certificate!.HasPrivateKey);
        Assert.Equal("akka.ssl.tcp", settings.Tls.Protocol);
    }

    [Theory]
    [InlineData("192.168.1.20")]
    [InlineData("0.0.0.0")]
    [InlineData("pi.lab.example")]
    public void A_non_loopback_address_without_tls_is_refused(string hostname)
    {
        string error = ErrorOf($$"""enabled = on, hostname = "{{hostname}}" """);

        Assert.StartsWith($"cluster-node.hostname = \"{hostname}\" is not allowed: a loopback address (127.0.0.1) unless cluster-node.tls.enabled = on", error);
    }

    [Fact]
    public void A_non_loopback_address_without_tls_is_allowed_only_when_plaintext_is_asked_for_explicitly()
    {
        ClusterNodeSettings settings = Read("""enabled = on, hostname = "192.168.1.20", tls.allow-plaintext-remote = on""");

        Assert.Equal("192.168.1.20", settings.Hostname);
        Assert.False(settings.Tls.Enabled);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.1.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_addresses_need_no_tls(string hostname)
    {
        Assert.Equal(hostname, Read($$"""enabled = on, hostname = "{{hostname}}" """).Hostname);
    }

    [Fact]
    public void Tls_without_a_certificate_is_refused()
    {
        string error = ErrorOf("""enabled = on, hostname = "10.1.2.3", seed-nodes = "akka.ssl.tcp://eeg@10.1.2.3:4053", tls.enabled = on""");

        Assert.Equal("cluster-node.tls.certificate-path = \"\" is not allowed: a .pfx file made by deploy/make-lab-certificate.sh (required when cluster-node.tls.enabled = on)", error);
    }

    [Fact]
    public void A_certificate_file_that_does_not_exist_is_refused()
    {
        string missing = Path.Combine(_certificates.Directory, "missing.pfx");

        string error = ErrorOf(Tls(missing, LabCertificates.Password));

        Assert.Equal($"cluster-node.tls.certificate-path = \"{missing}\" is not allowed: a .pfx file made by deploy/make-lab-certificate.sh; there is no such file", error);
    }

    [Fact]
    public void A_wrong_password_is_refused_without_printing_it()
    {
        string lab = _certificates.Make("lab");

        string error = ErrorOf(Tls(lab, "not-the-password"));

        Assert.StartsWith($"cluster-node.tls.certificate-password is not the password of {lab}", error);
        Assert.DoesNotContain("not-the-password", error);
    }

    [Fact]
    public void The_password_can_come_from_a_file_as_the_script_writes_it()
    {
        string lab = _certificates.Make("lab");
        string passwordFile = Path.Combine(_certificates.Directory, "lab.password");
        File.WriteAllText(passwordFile, LabCertificates.Password + "\n");

        ClusterNodeSettings settings = Read($$"""enabled = on, seed-nodes = "akka.ssl.tcp://eeg@127.0.0.1:4053", tls { enabled = on, certificate-path = "{{lab}}", certificate-password-file = "{{passwordFile}}" }""");

        Assert.True(settings.Tls.Certificate!.HasPrivateKey);
    }

    [Fact]
    public void A_password_file_with_the_wrong_password_is_named_in_the_error()
    {
        string lab = _certificates.Make("lab");
        string passwordFile = Path.Combine(_certificates.Directory, "old.password");
        File.WriteAllText(passwordFile, "the-old-password\n");

        string error = ErrorOf($$"""enabled = on, seed-nodes = "akka.ssl.tcp://eeg@127.0.0.1:4053", tls { enabled = on, certificate-path = "{{lab}}", certificate-password-file = "{{passwordFile}}" }""");

        Assert.StartsWith($"cluster-node.tls.certificate-password-file = \"{passwordFile}\" does not hold the password of {lab}", error);
        Assert.DoesNotContain("the-old-password", error);
    }

    [Fact]
    public void A_password_file_that_does_not_exist_is_refused()
    {
        string lab = _certificates.Make("lab");
        string missing = Path.Combine(_certificates.Directory, "nothing.password");

        string error = ErrorOf($$"""enabled = on, seed-nodes = "akka.ssl.tcp://eeg@127.0.0.1:4053", tls { enabled = on, certificate-path = "{{lab}}", certificate-password-file = "{{missing}}" }""");

        Assert.StartsWith($"cluster-node.tls.certificate-password-file = \"{missing}\" is not allowed: a readable file whose first line is the certificate's password", error);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused()
    {
        string publicOnly = _certificates.PublicOnly(_certificates.Make("lab"), "public");

        string error = ErrorOf(Tls(publicOnly, LabCertificates.Password));

        Assert.Equal($"cluster-node.tls.certificate-path = \"{publicOnly}\" is not allowed: a .pfx file made by deploy/make-lab-certificate.sh; this file holds no private key", error);
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        string expired = _certificates.Make("expired", DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));

        string error = ErrorOf(Tls(expired, LabCertificates.Password));

        Assert.StartsWith($"cluster-node.tls.certificate-path = \"{expired}\" is not allowed: a certificate valid today; this one is valid ", error);
    }

    [Fact]
    public void With_tls_a_plain_tcp_seed_is_refused_because_it_could_never_answer()
    {
        string lab = _certificates.Make("lab");

        string error = ErrorOf($$"""enabled = on, seed-nodes = "akka.tcp://eeg@127.0.0.1:4053", tls { enabled = on, certificate-path = "{{lab}}", certificate-password = "{{LabCertificates.Password}}" }""");

        Assert.Equal("cluster-node.seed-nodes = \"akka.tcp://eeg@127.0.0.1:4053\" is not allowed: addresses of the form akka.ssl.tcp://eeg@HOST:PORT (cluster-node.tls.enabled = on)", error);
    }

    [Fact]
    public void Without_tls_a_tls_seed_is_refused()
    {
        string error = ErrorOf("""enabled = on, seed-nodes = "akka.ssl.tcp://eeg@127.0.0.1:4053" """);

        Assert.StartsWith("cluster-node.seed-nodes = \"akka.ssl.tcp://eeg@127.0.0.1:4053\" is not allowed: addresses of the form akka.tcp://", error);
    }

    [Fact]
    public void Tls_settings_are_not_read_while_the_node_runs_alone()
    {
        ClusterNodeSettings settings = Read("""enabled = off, hostname = "10.1.2.3", tls { enabled = on, certificate-path = "/nowhere.pfx" }""");

        Assert.False(settings.Tls.Enabled);
    }

    public void Dispose() => _certificates.Dispose();

    private static string Tls(string pfx, string password) =>
        $$"""enabled = on, seed-nodes = "akka.ssl.tcp://eeg@127.0.0.1:4053", tls { enabled = on, certificate-path = "{{pfx}}", certificate-password = "{{password}}" }""";

    private static ClusterNodeSettings Read(string block) =>
        ClusterNodeSettings.FromConfig(ConfigurationFactory.ParseString($"cluster-node {{ {block} }}").WithFallback(ConfigLoader.Reference));

    private static string ErrorOf(string block)
    {
        ConfigException error = Assert.Throws<ConfigException>(() => Read(block));
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }
}
