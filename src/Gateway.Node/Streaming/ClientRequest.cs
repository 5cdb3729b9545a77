using System.Text.Json;

namespace Eeg.Gateway.Streaming;

/// <summary>
/// Parses a client's JSON request (docs/protocol.md):
/// <c>{"type":"subscribe","channels":[0,1,5]}</c> (null or absent: all channels),
/// <c>{"type":"decimate","factor":4}</c>, <c>{"type":"pause"}</c>, <c>{"type":"resume"}</c>.
/// A "subscribe" may carry "decimation" and "paused" too, to set everything at once.
/// </summary>
public static class ClientRequest
{
    public const int MaxDecimation = 1000;

    /// <summary>Applies a request to the current subscription; false with a one-line error when the request is not valid.</summary>
    public static bool TryApply(ReadOnlySpan<byte> json, Subscription current, int channelCount, double nanosPerSample, out Subscription next, out string? error)
    {
        next = current;
        error = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out JsonElement type) || type.ValueKind != JsonValueKind.String)
            {
                error = "a request is a JSON object with a \"type\": subscribe, decimate, pause or resume";
                return false;
            }
            Subscription result = current with { NanosPerSample = nanosPerSample };
            switch (type.GetString())
            {
                case "subscribe":
                    if (root.TryGetProperty("channels", out JsonElement channels))
                    {
                        if (!TryReadChannels(channels, channelCount, out int[]? selected, out error)) return false;
                        result = result with { Channels = selected };
                    }
                    else
                    {
                        result = result with { Channels = null };
                    }
                    if (root.TryGetProperty("decimation", out JsonElement decimation))
                    {
                        if (!TryReadFactor(decimation, "decimation", out int factor, out error)) return false;
                        result = result with { Decimation = factor };
                    }
                    if (root.TryGetProperty("paused", out JsonElement paused))
                    {
                        if (paused.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        {
                            error = "paused must be true or false";
                            return false;
                        }
                        result = result with { Paused = paused.GetBoolean() };
                    }
                    break;
                case "decimate":
                    if (!root.TryGetProperty("factor", out JsonElement f) || !TryReadFactor(f, "factor", out int k, out error))
                    {
                        error ??= $"decimate needs \"factor\": an integer from 1 to {MaxDecimation}";
                        return false;
                    }
                    result = result with { Decimation = k };
                    break;
                case "pause":
                    result = result with { Paused = true };
                    break;
                case "resume":
                    result = result with { Paused = false };
                    break;
                default:
                    error = $"type = \"{type.GetString()}\" is not allowed: subscribe, decimate, pause or resume";
                    return false;
            }
            next = result;
            return true;
        }
        catch (JsonException e)
        {
            error = $"the request is not valid JSON: {e.Message.Split('\n')[0]}";
            return false;
        }
    }

    private static bool TryReadFactor(JsonElement element, string name, out int factor, out string? error)
    {
        error = null;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out factor) && factor >= 1 && factor <= MaxDecimation) return true;
        factor = 0;
        error = $"{name} = {element.GetRawText()} is not allowed: an integer from 1 to {MaxDecimation}";
        return false;
    }

    private static bool TryReadChannels(JsonElement element, int channelCount, out int[]? selected, out string? error)
    {
        selected = null;
        error = null;
        if (element.ValueKind == JsonValueKind.Null) return true;
        int limit = channelCount > 0 ? channelCount : ushort.MaxValue;
        string allowed = channelCount > 0 ? $"a non-empty list of distinct channel indices from 0 to {channelCount - 1}, or null for all" : "a non-empty list of distinct channel indices, or null for all";
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            error = $"channels = {element.GetRawText()} is not allowed: {allowed}";
            return false;
        }
        var list = new List<int>(element.GetArrayLength());
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int index) || index < 0 || index >= limit || list.Contains(index))
            {
                error = $"channels = {element.GetRawText()} is not allowed: {allowed}";
                return false;
            }
            list.Add(index);
        }
        selected = list.ToArray();
        return true;
    }
}
