using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Eeg.Gateway.Control;

/// <summary>Puts the control token check in front of an endpoint: 401 with the reason, and the handler never runs.</summary>
public static class TokenFilter
{
    public static TBuilder RequireControlToken<TBuilder>(this TBuilder builder, ControlToken token) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if (!token.Accepts(context.HttpContext.Request))
            {
                return Results.Json(new { error = ControlToken.Refusal(context.HttpContext.Request) }, statusCode: StatusCodes.Status401Unauthorized);
            }
            return await next(context).ConfigureAwait(false);
        });
}
