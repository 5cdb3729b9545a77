using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Eeg.Shared.Control;
using Eeg.Shared.Recording;
using Microsoft.AspNetCore.Http;

namespace Eeg.Gateway.Control;

/// <summary>Asks an actor (a node's agent, a recorder) and turns its answer into the HTTP answer of docs/api.md.</summary>
public static class ControlAnswers
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, Json, statusCode: status);

    public static async Task<IResult> AskAsync(ICanTell target, object message, TimeSpan timeout, string who, CancellationToken ct)
    {
        object answer;
        try
        {
            answer = await target.Ask<object>(message, timeout, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"{who} did not answer within {timeout.TotalSeconds:0} s");
        }
        return ToResult(answer);
    }

    public static IResult ToResult(object answer) => answer switch
    {
        RecordingInfo info => Results.Json(info, Json),
        RecordingList list => Results.Json(list, Json),
        RecordingRejected rejected => Error(StatusCodes.Status409Conflict, rejected.Reason),
        StageCommandResult stage => Results.Json(new { stage = stage.Stage, node = stage.Node, restarts = stage.Restarts, running = stage.Running }, Json),
        FilterReport filters => Results.Json(filters, Json),
        ImpedanceCheckSwitched impedance => Results.Json(new { impedanceCheck = impedance.ImpedanceCheck }, Json),
        LeavingCluster leaving => Results.Json(new { address = leaving.Address, state = leaving.State }, Json),
        ControlRefused refused => Error(refused.Kind switch
        {
            RefusalKind.BadRequest => StatusCodes.Status400BadRequest,
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status503ServiceUnavailable,
        }, refused.Reason),
        Akka.Actor.Status.Failure failure => Error(StatusCodes.Status500InternalServerError, failure.Cause.Message),
        _ => Error(StatusCodes.Status500InternalServerError, $"unexpected answer {answer.GetType().Name}"),
    };

    /// <summary>The request's JSON body, or null when there is none or it is not JSON of that shape.</summary>
    public static async Task<T?> ReadBody<T>(HttpContext context) where T : class
    {
        if (context.Request.ContentLength is null or 0 && !context.Request.Headers.ContentType.Any()) return null;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
