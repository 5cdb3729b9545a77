using System.Globalization;
using System.Net;
using Akka.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Gateway.Configuration;

/// <summary>
/// The gateway role's settings: the <c>gateway { http { ... }, websocket { ... } }</c> block of
/// hocon/reference.conf, read once and validated. A bad value fails with one line naming the key,
/// the value and what is allowed.
/// </summary>
public sealed record GatewaySettings(
    string Host,
    int Port,
    int ClientQueueDepth,
    TimeSpan TooSlowAfter,
    TimeSpan AbortAfter,
    int MaxMessageBytes,
    int SocketSendBufferBytes,
    int MaxClients,
    TimeSpan StatusInterval)
{
    /// <summary>off: the node serves no web UI, WebSocket, /status or /metrics (a headless node or a test).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The token control calls must carry (Authorization: Bearer); empty: read or generate <see cref="ControlTokenFile"/>.</summary>
    public string ControlToken { get; init; } = "";

    /// <summary>Where a generated token is kept (mode 0600); "~/" is the user's home.</summary>
    public string ControlTokenFile { get; init; } = "~/.config/eeg/control-token";

    /// <summary>The defaults of hocon/reference.conf.</summary>
    public static GatewaySettings Default { get; } = new(
        "127.0.0.1", 5080, 4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), 65536, 65536, 16, TimeSpan.FromSeconds(1));

    /// <summary>Reads the <c>gateway</c> block of a full configuration (reference.conf merged with the user's).</summary>
    public static GatewaySettings FromConfig(Config root)
    {
        if (root is null || root.IsEmpty || !root.HasPath("gateway"))
        {
            throw new ConfigException("gateway is missing: the configuration needs the gateway block of hocon/reference.conf");
        }

        string enabled = root.HasPath("gateway.enabled") ? ReadRaw(root, "gateway.enabled") : "on";
        if (enabled is not ("on" or "off" or "true" or "false" or "yes" or "no"))
        {
            throw ConfigException.Invalid("gateway.enabled", enabled, "on or off");
        }
        return new GatewaySettings(
            Host: ReadHost(root, "gateway.http.host"),
            Port: ReadInt(root, "gateway.http.port", 0, 65535, "a TCP port from 0 to 65535 (0 picks a free port)"),
            ClientQueueDepth: ReadInt(root, "gateway.websocket.client-queue-depth", 1, 64, "an integer from 1 to 64"),
            TooSlowAfter: ReadDuration(root, "gateway.websocket.too-slow-after", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "a duration from 100ms to 1h"),
            AbortAfter: ReadDuration(root, "gateway.websocket.abort-after", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), "a duration from 100ms to 10m"),
            MaxMessageBytes: ReadInt(root, "gateway.websocket.max-message-bytes", 4096, 16 * 1024 * 1024, "a byte count from 4096 to 16777216"),
            SocketSendBufferBytes: ReadSendBuffer(root, "gateway.websocket.socket-send-buffer-bytes"),
            MaxClients: ReadInt(root, "gateway.websocket.max-clients", 1, 1000, "an integer from 1 to 1000"),
            StatusInterval: ReadDuration(root, "gateway.websocket.status-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "a duration from 100ms to 1m"))
        {
            Enabled = enabled is "on" or "true" or "yes",
            ControlToken = ReadToken(root, "gateway.control-token"),
            ControlTokenFile = root.HasPath("gateway.control-token-file") ? ReadRaw(root, "gateway.control-token-file") : Default.ControlTokenFile,
        };
    }

    private static string ReadRaw(Config root, string key)
    {
        string? raw;
        try
        {
            raw = root.HasPath(key) ? root.GetString(key) : null;
        }
        catch (Exception)
        {
            // An object or a list where a plain value belongs.
            throw ConfigException.Invalid(key, "(not a plain value)", "a single value");
        }
        if (raw is null) throw ConfigException.Invalid(key, null, "a value (see hocon/reference.conf)");
        return raw.Trim();
    }

    private static string ReadToken(Config root, string key)
    {
        if (!root.HasPath(key)) return "";
        string token = ReadRaw(root, key);
        // The value itself is never echoed: it is a secret.
        if (token.Length > 0 && (token.Length < 16 || token.Any(char.IsWhiteSpace)))
        {
            throw ConfigException.Invalid(key, "(hidden)", "at least 16 characters without spaces, or \"\" to generate one at first start");
        }
        return token;
    }

    private static string ReadHost(Config root, string key)
    {
        string raw = ReadRaw(root, key);
        const string allowed = "an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost";
        if (raw.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(raw, out _)) return raw;
        throw ConfigException.Invalid(key, raw, allowed);
    }

    private static int ReadInt(Config root, string key, int min, int max, string allowed)
    {
        string raw = ReadRaw(root, key);
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }
        throw ConfigException.Invalid(key, Display(raw), allowed);
    }

    private static int ReadSendBuffer(Config root, string key)
    {
        const string allowed = "0 (the OS default) or a byte count from 4096 to 16777216";
        int value = ReadInt(root, key, 0, 16 * 1024 * 1024, allowed);
        if (value is > 0 and < 4096) throw ConfigException.Invalid(key, value, allowed);
        return value;
    }

    private static TimeSpan ReadDuration(Config root, string key, TimeSpan min, TimeSpan max, string allowed)
    {
        string raw = ReadRaw(root, key);
        TimeSpan value;
        try
        {
            value = root.GetTimeSpan(key, null, allowInfinite: false);
        }
        catch (Exception)
        {
            throw ConfigException.Invalid(key, Display(raw), allowed);
        }
        if (value < min || value > max) throw ConfigException.Invalid(key, Display(raw), allowed);
        return value;
    }

    /// <summary>Numbers are shown bare, anything else quoted, as ConfigException formats them.</summary>
    private static object Display(string raw) =>
        decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number) ? number : raw;
}
