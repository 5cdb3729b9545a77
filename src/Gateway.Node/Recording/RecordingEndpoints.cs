using System.Text.Json;
using Akka.Actor;
using Eeg.Shared.Recording;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Eeg.Gateway.Recording;

/// <summary>
/// Recording control over HTTP (docs/protocol.md): <c>POST /recordings/start</c> with an optional JSON
/// body <c>{"subject": "...", "session": "..."}</c>, <c>POST /recordings/stop</c>,
/// <c>POST /recordings/marker</c> with <c>{"text": "..."}</c>, and <c>GET /recordings</c>.
/// Answers are JSON: the recording (200), the reason it could not be done (409), or why no recorder
/// answered (503).
/// </summary>
public static class RecordingEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private const string NoRecorder = "this node runs no recorder (recorder.enabled = off, or it is still starting)";

    private sealed record StartBody(string? Subject, string? Session);
    private sealed record MarkerBody(string? Text);

    public static void Map(WebApplication app, RecorderLink link)
    {
        app.MapPost("/recordings/start", (Delegate)(async (HttpContext context) =>
        {
            StartBody body = await ReadBody<StartBody>(context) ?? new StartBody(null, null);
            string? subject = body.Subject ?? context.Request.Query["subject"];
            string? session = body.Session ?? context.Request.Query["session"];
            return await AskAsync(link, new StartRecording(subject, session), context.RequestAborted);
        }));
        app.MapPost("/recordings/stop", (Delegate)((HttpContext context) => AskAsync(link, StopRecording.Instance, context.RequestAborted)));
        app.MapPost("/recordings/marker", (Delegate)(async (HttpContext context) =>
        {
            MarkerBody? body = await ReadBody<MarkerBody>(context);
            string? text = body?.Text ?? context.Request.Query["text"];
            if (string.IsNullOrWhiteSpace(text)) return Results.Json(new { error = "a marker needs a text: {\"text\": \"...\"}" }, Json, statusCode: 400);
            return await AskAsync(link, new AddMarker(text), context.RequestAborted);
        }));
        // Reading the list is not an error on a node without a recorder: it says so (200), so a page
        // that polls it does not fill the browser's console with failed requests.
        app.MapGet("/recordings", (Delegate)((HttpContext context) => link.Recorder is null
            ? Task.FromResult(Results.Json(new { recordings = Array.Empty<RecordingInfo>(), recorder = false, reason = NoRecorder }, Json))
            : AskAsync(link, GetRecordings.Instance, context.RequestAborted)));
    }

    private static async Task<T?> ReadBody<T>(HttpContext context) where T : class
    {
        if (context.Request.ContentLength is null or 0 && !context.Request.Headers.ContentType.Any()) return null;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<IResult> AskAsync(RecorderLink link, object message, CancellationToken ct)
    {
        if (link.Recorder is not { } recorder)
        {
            return Results.Json(new { error = NoRecorder }, Json, statusCode: 503);
        }
        object answer;
        try
        {
            answer = await recorder.Ask<object>(message, AskTimeout, ct);
        }
        catch (AskTimeoutException)
        {
            return Results.Json(new { error = $"the recorder did not answer within {AskTimeout.TotalSeconds:0} s" }, Json, statusCode: 503);
        }
        return answer switch
        {
            RecordingInfo info => Results.Json(info, Json),
            RecordingList list => Results.Json(list, Json),
            RecordingRejected rejected => Results.Json(new { error = rejected.Reason }, Json, statusCode: 409),
            _ => Results.Json(new { error = $"unexpected answer {answer.GetType().Name}" }, Json, statusCode: 500),
        };
    }
}
