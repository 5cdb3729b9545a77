using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Eeg.Gateway.ClusterConsole;

/// <summary>
/// The gateway's cluster API over HTTP (docs/api.md): GET /api/cluster and /api/nodes, and the
/// control calls, which carry <c>Authorization: Bearer TOKEN</c>. Every failure, transport or HTTP,
/// becomes a <see cref="LabApiException"/> with one line that says what to do.
/// </summary>
public sealed class LabApiClient : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string? _token;

    public LabApiClient(Uri baseAddress, string? token, HttpClient? http = null, TimeSpan? timeout = null)
    {
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _token = string.IsNullOrEmpty(token) ? null : token;
        _ownsHttp = http is null;
        // The cluster endpoint waits up to 2 s for slow nodes; 10 s covers that and a recorder's answer.
        _http = http ?? new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }

    /// <summary>Whether control calls will carry a token.</summary>
    public bool HasToken => _token is not null;

    /// <summary>GET a path; the body as it came (for --json) and the parsed document.</summary>
    public Task<ApiAnswer> GetAsync(string path, CancellationToken ct = default) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>POST a control call with the token; body null sends none.</summary>
    public Task<ApiAnswer> PostAsync(string path, object? body, CancellationToken ct = default) => SendAsync(HttpMethod.Post, path, body, ct);

    public async Task<ClusterSnapshot> ClusterAsync(CancellationToken ct = default) =>
        (await GetAsync("api/cluster", ct).ConfigureAwait(false)).As<ClusterSnapshot>();

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var uri = new Uri(BaseAddress, path);
        using var request = new HttpRequestMessage(method, uri);
        if (method == HttpMethod.Post && _token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        string what = $"{method} /{path}";
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new LabApiException($"the gateway at {BaseAddress} does not answer ({Reason(e)}): is the node running? (--url or EEG_GATEWAY_URL)", null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new LabApiException($"{what}: the gateway at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s", null);
        }
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return new ApiAnswer((int)response.StatusCode, text);
            string error = ErrorText(text) ?? (text.Length is > 0 and < 200 && !text.Contains('<') ? text.Trim() : response.ReasonPhrase ?? "");
            string hint = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => HasToken
                    ? " (the control token was refused: check --token, EEG_CONTROL_TOKEN or the token file)"
                    : " (no control token: pass --token, set EEG_CONTROL_TOKEN, or read it from the gateway's token file)",
                HttpStatusCode.NotFound when ErrorText(text) is null => " (this gateway has no such endpoint: is it older than the console?)",
                _ => "",
            };
            throw new LabApiException($"{what}: {(int)response.StatusCode} {error}{hint}", (int)response.StatusCode);
        }
    }

    private static string Reason(HttpRequestException e) => e.InnerException is SocketException s
        ? s.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound => "host not found",
            SocketError.TimedOut => "timed out",
            _ => s.Message,
        }
        : e.Message;

    private static string? ErrorText(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}

/// <summary>A successful answer: the status code and the JSON text as the gateway sent it.</summary>
public sealed record ApiAnswer(int StatusCode, string Body)
{
    public T As<T>()
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Body, LabApiClient.Json) ?? throw new LabApiException($"the gateway answered null where a {typeof(T).Name} was expected", null);
        }
        catch (JsonException e)
        {
            throw new LabApiException($"the gateway's answer is not the JSON this console reads ({e.Message})", null);
        }
    }

    public JsonElement Document()
    {
        try
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new LabApiException($"the gateway's answer is not JSON ({e.Message})", null);
        }
    }
}

/// <summary>A call that failed: one line for stderr, and the HTTP status when there was one.</summary>
public sealed class LabApiException(string message, int? statusCode) : Exception(message)
{
    public int? StatusCode { get; } = statusCode;
}
