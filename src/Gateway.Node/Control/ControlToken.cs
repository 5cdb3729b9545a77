using System.Security.Cryptography;
using System.Text;
using Eeg.Gateway.Configuration;
using Eeg.Pipeline.Configuration;
using Microsoft.AspNetCore.Http;

namespace Eeg.Gateway.Control;

/// <summary>
/// The bearer token control calls (POST) must carry. Taken from gateway.control-token (or
/// EEG_CONTROL_TOKEN) when set; otherwise read from gateway.control-token-file, or generated there at
/// first start (32 random bytes, base64url, mode 0600) and printed once.
/// </summary>
public sealed class ControlToken
{
    private readonly byte[] _expected;

    public ControlToken(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
        _expected = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    /// <summary>The token of these settings; says on <paramref name="output"/> where it comes from (the token itself only when just generated).</summary>
    /// <exception cref="ConfigException">The token file cannot be read or written, or is empty.</exception>
    public static ControlToken Resolve(GatewaySettings settings, TextWriter output)
    {
        if (settings.ControlToken.Length > 0)
        {
            output.WriteLine("control token: from gateway.control-token");
            return new ControlToken(settings.ControlToken);
        }
        string path = ExpandHome(settings.ControlTokenFile);
        try
        {
            if (File.Exists(path)) return ReadFile(path, output);
            string token = Base64Url(RandomNumberGenerator.GetBytes(32));
            string? folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
                else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            // Written aside and moved into place: two gateways starting at once (or two test runs) must
            // not read a half-written file, and the second one takes the first one's token.
            string aside = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(aside, Encoding.ASCII, options)) writer.WriteLine(token);
            try
            {
                File.Move(aside, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(aside);
                return ReadFile(path, output);
            }
            output.WriteLine($"control token (saved in {path}): {token}");
            return new ControlToken(token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"gateway.control-token-file = {path} cannot be used ({e.Message.ReplaceLineEndings(" ")}): set gateway.control-token or EEG_CONTROL_TOKEN, or pick another file", e);
        }
    }

    private static ControlToken ReadFile(string path, TextWriter output)
    {
        string stored = File.ReadAllText(path).Trim();
        if (stored.Length == 0) throw new ConfigException($"gateway.control-token-file = {path} is empty: delete it to generate a new token, or write a token into it");
        output.WriteLine($"control token: read from {path}");
        return new ControlToken(stored);
    }

    /// <summary>True when the request carries "Authorization: Bearer TOKEN" with this token (compared in constant time).</summary>
    public bool Accepts(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        byte[] given = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }

    /// <summary>The 401 answer; says whether the token was missing or wrong, never what it is.</summary>
    public static string Refusal(HttpRequest request) => request.Headers.Authorization.Count == 0
        ? "this call changes the system and needs the control token: send Authorization: Bearer TOKEN (the token is in the gateway's control-token-file, or gateway.control-token)"
        : "wrong control token: send Authorization: Bearer TOKEN with the gateway's token";

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
