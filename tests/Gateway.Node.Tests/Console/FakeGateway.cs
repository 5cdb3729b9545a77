using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eeg.Tests.Gateway.Node.Console;

/// <summary>
/// A transport double for the console's client: Kestrel on 127.0.0.1 (a free port) answering each
/// request with what the test set for its method and path, in the contract's shape, and keeping every
/// request (method, path, Authorization header, body) for the test to check. It checks no token itself:
/// a test says which answer a call gets.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<Answer>> _answers = new(StringComparer.Ordinal);

    public sealed record Request(string Method, string Path, string? Authorization, string Body);
    public sealed record Answer(int Status, string Json);

    private FakeGateway(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public ConcurrentQueue<Request> Requests { get; } = new();

    public static async Task<FakeGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        FakeGateway? self = null;
        app.Run(async context =>
        {
            string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            self!.Requests.Enqueue(new Request(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.FirstOrDefault(), body));
            Answer answer = self._answers.TryGetValue($"{context.Request.Method} {context.Request.Path.Value}", out Func<Answer>? make)
                ? make()
                : new Answer(404, "{\"error\":\"no such endpoint in this test\"}");
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.Json);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeGateway(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    /// <summary>Answers "METHOD /path" with <paramref name="make"/>'s result, made anew for every request.</summary>
    public void On(string methodAndPath, Func<Answer> make) => _answers[methodAndPath] = make;

    public void On(string methodAndPath, int status, string json) => On(methodAndPath, () => new Answer(status, json));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
