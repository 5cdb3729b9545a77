using Eeg.Gateway.Control;
using Eeg.Shared.Recording;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Eeg.Gateway.Recording;

/// <summary>
/// Recording control over HTTP (docs/protocol.md, docs/api.md): <c>POST /recordings/start</c> with an
/// optional JSON body <c>{"subject": "...", "session": "..."}</c>, <c>POST /recordings/stop</c>,
/// <c>POST /recordings/marker</c> with <c>{"text": "..."}</c>, and <c>GET /recordings</c>; the same under
/// /api/recordings/. The POSTs need the control token. Answers are JSON: the recording (200), the
/// reason it could not be done (409), or why no recorder answered (503). The recorder may run on
/// another node (<see cref="RecorderRoute"/>).
/// </summary>
public static class RecordingEndpoints
{
    // Stop waits for the writer to flush; a list is a quick read, and a page polls it.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(3);

    private sealed record StartBody(string? Subject, string? Session);
    private sealed record MarkerBody(string? Text);

    public static void Map(WebApplication app, RecorderRoute route, ControlToken token)
    {
        foreach (string prefix in new[] { "/recordings", "/api/recordings" })
        {
            app.MapPost(prefix + "/start", (Delegate)(async (HttpContext context) =>
            {
                StartBody body = await ControlAnswers.ReadBody<StartBody>(context) ?? new StartBody(null, null);
                string? subject = body.Subject ?? context.Request.Query["subject"];
                string? session = body.Session ?? context.Request.Query["session"];
                return await AskAsync(route, new StartRecording(subject, session), context.RequestAborted);
            })).RequireControlToken(token);
            app.MapPost(prefix + "/stop", (Delegate)((HttpContext context) => AskAsync(route, StopRecording.Instance, context.RequestAborted))).RequireControlToken(token);
            app.MapPost(prefix + "/marker", (Delegate)(async (HttpContext context) =>
            {
                MarkerBody? body = await ControlAnswers.ReadBody<MarkerBody>(context);
                string? text = body?.Text ?? context.Request.Query["text"];
                if (string.IsNullOrWhiteSpace(text)) return ControlAnswers.Error(400, "a marker needs a text: {\"text\": \"...\"}");
                return await AskAsync(route, new AddMarker(text), context.RequestAborted);
            })).RequireControlToken(token);
        }
        // Reading the list is not an error on a node without a recorder: it says so (200), so a page
        // that polls it does not fill the browser's console with failed requests.
        app.MapGet("/recordings", (Delegate)(async (HttpContext context) =>
        {
            (var target, string reason) = await route.FindAsync(context.RequestAborted);
            return target is null
                ? Results.Json(new { recordings = Array.Empty<RecordingInfo>(), recorder = false, reason }, ControlAnswers.Json)
                : await AskAsync(route, GetRecordings.Instance, context.RequestAborted, ListTimeout);
        }));
    }

    private static async Task<IResult> AskAsync(RecorderRoute route, object message, CancellationToken ct, TimeSpan? timeout = null)
    {
        (var target, string reason) = await route.FindAsync(ct);
        if (target is null) return ControlAnswers.Error(StatusCodes.Status503ServiceUnavailable, reason);
        IResult result = await ControlAnswers.AskAsync(target, message, timeout ?? AskTimeout, "the recorder", ct);
        if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable }) route.Forget();
        return result;
    }
}
