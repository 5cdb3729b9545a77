using System.Diagnostics;

namespace Eeg.Tests.MultiNode.Tls;

/// <summary>The node's executable with a bad cluster-node.tls: one line, exit code 2, no stack trace.</summary>
public sealed class TlsConfigExitTests : IDisposable
{
    private readonly LabCertificates _certificates = new();

    [Fact]
    public async Task A_node_told_to_bind_a_lab_address_without_tls_prints_one_line_and_exits_with_2()
    {
        (int code, string error) = await RunNodeAsync("""cluster-node { enabled = on, roles = [acquisition], hostname = "192.168.1.20" }""");

        Assert.Equal(2, code);
        Assert.Equal("configuration error: cluster-node.hostname = \"192.168.1.20\" is not allowed: a loopback address (127.0.0.1) unless cluster-node.tls.enabled = on (or cluster-node.tls.allow-plaintext-remote = on, which sends the EEG unencrypted to anyone on that network)", error);
    }

    [Fact]
    public async Task A_node_given_the_wrong_certificate_password_prints_one_line_and_exits_with_2()
    {
        string lab = _certificates.Make("lab");

        (int code, string error) = await RunNodeAsync($$"""
            cluster-node {
              enabled = on, roles = [acquisition], seed-nodes = "akka.ssl.tcp://eeg@127.0.0.1:4053"
              tls { enabled = on, certificate-path = "{{lab}}", certificate-password = "wrong" }
            }
            """);

        Assert.Equal(2, code);
        Assert.StartsWith($"configuration error: cluster-node.tls.certificate-password is not the password of {lab}", error);
    }

    public void Dispose() => _certificates.Dispose();

    /// <summary>Runs Acquisition.Node (built beside the tests) with the config; its exit code and its whole stderr.</summary>
    private async Task<(int Code, string Error)> RunNodeAsync(string config)
    {
        string file = Path.Combine(_certificates.Directory, "node.conf");
        await File.WriteAllTextAsync(file, config);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Acquisition.Node.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(file);
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the node did not exit; stdout: {await output}");
        }
        await output;
        return (process.ExitCode, (await error).TrimEnd('\n', '\r'));
    }
}
