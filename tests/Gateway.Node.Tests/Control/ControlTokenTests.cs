using Eeg.Gateway.Configuration;
using Eeg.Gateway.Control;
using Eeg.Pipeline.Configuration;
using Microsoft.AspNetCore.Http;

namespace Eeg.Tests.Gateway.Node.Control;

/// <summary>Where the control token comes from, and how a request's token is checked.</summary>
public sealed class ControlTokenTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eeg-token-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private GatewaySettings InFolder(string token = "") =>
        GatewaySettings.Default with { ControlToken = token, ControlTokenFile = Path.Combine(_folder, "eeg", "control-token") };

    [Fact]
    public void A_generated_token_is_saved_with_mode_0600_printed_once_and_read_back_at_the_next_start()
    {
        GatewaySettings settings = InFolder();
        var first = new StringWriter();
        var second = new StringWriter();

        ControlToken generated = ControlToken.Resolve(settings, first);
        ControlToken read = ControlToken.Resolve(settings, second);

        Assert.Equal(generated.Value, read.Value);
        Assert.Equal(43, generated.Value.Length); // 32 bytes, base64url without padding
        Assert.DoesNotContain('=', generated.Value);
        Assert.Equal($"control token (saved in {settings.ControlTokenFile}): {generated.Value}", first.ToString().Trim());
        Assert.Equal($"control token: read from {settings.ControlTokenFile}", second.ToString().Trim());
        Assert.DoesNotContain(generated.Value, second.ToString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(settings.ControlTokenFile));
        }
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(settings.ControlTokenFile)!));
    }

    [Fact]
    public void A_configured_token_is_taken_as_it_is_and_no_file_is_written()
    {
        GatewaySettings settings = InFolder("a-configured-token-0123456789");

        ControlToken token = ControlToken.Resolve(settings, TextWriter.Null);

        Assert.Equal("a-configured-token-0123456789", token.Value);
        Assert.False(File.Exists(settings.ControlTokenFile));
    }

    [Fact]
    public void An_empty_token_file_is_one_line_saying_what_to_do()
    {
        GatewaySettings settings = InFolder();
        Directory.CreateDirectory(Path.GetDirectoryName(settings.ControlTokenFile)!);
        File.WriteAllText(settings.ControlTokenFile, "\n");

        ConfigException e = Assert.Throws<ConfigException>(() => ControlToken.Resolve(settings, TextWriter.Null));

        Assert.Equal($"gateway.control-token-file = {settings.ControlTokenFile} is empty: delete it to generate a new token, or write a token into it", e.Message);
    }

    [Fact]
    public void A_short_configured_token_is_one_line_naming_the_key_and_never_shows_the_token()
    {
        ConfigException e = Assert.Throws<ConfigException>(() =>
            GatewaySettings.FromConfig(ConfigLoader.Load(null, "gateway.control-token = short-secret", _ => null)));

        Assert.StartsWith("gateway.control-token", e.Message);
        Assert.DoesNotContain("short-secret", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void EEG_CONTROL_TOKEN_sets_the_token()
    {
        var environment = new Dictionary<string, string> { ["EEG_CONTROL_TOKEN"] = "token-from-the-environment" };

        GatewaySettings settings = GatewaySettings.FromConfig(ConfigLoader.Load(null, null, v => environment.GetValueOrDefault(v)));

        Assert.Equal("token-from-the-environment", settings.ControlToken);
    }

    [Theory]
    [InlineData("Bearer the-right-token-123456", true)]
    [InlineData("bearer   the-right-token-123456  ", true)]
    [InlineData("Bearer the-right-token-12345", false)]
    [InlineData("Bearer the-right-token-1234567", false)]
    [InlineData("Basic the-right-token-123456", false)]
    [InlineData("the-right-token-123456", false)]
    [InlineData(null, false)]
    public void Only_the_exact_token_as_a_bearer_token_is_accepted(string? header, bool accepted)
    {
        var token = new ControlToken("the-right-token-123456");
        var context = new DefaultHttpContext();
        if (header is not null) context.Request.Headers.Authorization = header;

        Assert.Equal(accepted, token.Accepts(context.Request));
    }
}
