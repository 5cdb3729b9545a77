using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Control;
using Eeg.Gateway.Status;
using Eeg.Gateway.Streaming;
using Eeg.Pipeline.Sinks;
using Eeg.Shared.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

using Eeg.Gateway.Recording;

namespace Eeg.Gateway.Hosting;

/// <summary>
/// The gateway role's web server (Kestrel): the live scope at <c>/</c>, the frame stream at
/// <c>/ws</c>, <c>/status</c> (JSON) and <c>/metrics</c> (Prometheus text).
/// </summary>
/// <remarks>
/// Wiring, for the node that hosts it:
/// <code>
/// var gateway = await GatewayServer.StartAsync(GatewaySettings.FromConfig(config), system, ct => AskStatus(ct), ct);
/// // the fan-out creates the "scope" sink from these props with its drop-oldest mailbox:
/// Props scope = gateway.ScopeSinkProps(scopeCounters).WithMailbox("...");
/// ...
/// await gateway.StopAsync();
/// </code>
/// </remarks>
public sealed class GatewayServer : IAsyncDisposable
{
    /// <summary>Folder (beside the assemblies) the built scope page is copied to by Gateway.Node.csproj.</summary>
    public const string WebFolder = "gateway-web";

    private readonly WebApplication _app;
    private readonly IActorRef _forwarder;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _statusLoop;
    private int _stopped;

    private GatewayServer(WebApplication app, ScopeHub hub, IActorRef forwarder, Uri baseAddress, Func<CancellationToken, Task<PipelineStatus>> statusSource, GatewaySettings settings)
    {
        _app = app;
        Hub = hub;
        _forwarder = forwarder;
        BaseAddress = baseAddress;
        Settings = settings;
        ScopeSinkProps = counters => ScopeSinkActor.Props(counters, hub);
        _statusLoop = RunStatusLoopAsync(statusSource, settings.StatusInterval, _stopping.Token);
    }

    /// <summary>Where the server listens, with the port actually bound (port 0 in the settings picks one).</summary>
    public Uri BaseAddress { get; }

    public GatewaySettings Settings { get; }

    /// <summary>The recorder behind /recordings (attach it once it exists).</summary>
    public RecorderLink Recorder { get; private init; } = new();

    /// <summary>The token control calls must carry.</summary>
    public ControlToken Token { get; private init; } = null!;

    /// <summary>The WebSocket clients and the frame encoder.</summary>
    public ScopeHub Hub { get; }

    /// <summary>Props of the scope sink actor for the fan-out; the fan-out attaches the drop-oldest mailbox.</summary>
    public Func<SinkCounters, Props> ScopeSinkProps { get; }

    /// <summary>Starts Kestrel on settings.Host:settings.Port and subscribes to stage outputs.</summary>
    public static async Task<GatewayServer> StartAsync(
        GatewaySettings settings,
        ActorSystem system,
        Func<CancellationToken, Task<PipelineStatus>> statusSource,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(statusSource);

        var hub = new ScopeHub(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(options =>
        {
            if (settings.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) options.ListenLocalhost(settings.Port);
            else options.Listen(IPAddress.Parse(settings.Host), settings.Port);
        });

        WebApplication app = builder.Build();
        GatewayServer? server = null;
        var recorder = new RecorderLink();
        ControlToken token = ControlToken.Resolve(settings, Console.Out);
        var view = new ClusterView(system);
        Map(app, hub, settings, statusSource, () => server?._stopping.Token ?? CancellationToken.None);
        RecordingEndpoints.Map(app, new RecorderRoute(recorder, view), token);
        ControlEndpoints.Map(app, view, token);

        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new Eeg.Pipeline.Configuration.ConfigException(
                $"gateway.http.port = {settings.Port} is not allowed: {settings.Host}:{settings.Port} could not be bound ({e.Message.Split('\n')[0]}); pick a free port or set EEG_HTTP_PORT", e);
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        IActorRef forwarder = system.ActorOf(StageOutputForwarder.Props(hub), $"gateway-stage-outputs-{Guid.NewGuid():N}");
        server = new GatewayServer(app, hub, forwarder, new Uri(address.EndsWith('/') ? address : address + "/"), statusSource, settings) { Recorder = recorder, Token = token };
        return server;
    }

    private static void Map(WebApplication app, ScopeHub hub, GatewaySettings settings, Func<CancellationToken, Task<PipelineStatus>> statusSource, Func<CancellationToken> stopping)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });

        app.MapGet("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("/ws is a WebSocket endpoint (docs/protocol.md)\n").ConfigureAwait(false);
                return;
            }
            if (!hub.TryReserve())
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync($"gateway.websocket.max-clients = {settings.MaxClients} clients are connected already\n").ConfigureAwait(false);
                return;
            }
            if (settings.SocketSendBufferBytes > 0 && context.Features.Get<IConnectionSocketFeature>()?.Socket is Socket tcp)
            {
                // Bounds the kernel's queue in front of ours (see socket-send-buffer-bytes in reference.conf).
                tcp.SendBufferSize = settings.SocketSendBufferBytes;
            }
            var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            string remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping(), context.RequestAborted);
            await hub.ServeAsync(socket, remote, linked.Token).ConfigureAwait(false);
        });

        app.MapGet("/status", async context =>
        {
            PipelineStatus? status = await TryGetStatusAsync(statusSource, context.RequestAborted).ConfigureAwait(false);
            if (status is null)
            {
                await Unavailable(context).ConfigureAwait(false);
                return;
            }
            bool pretty = context.Request.Query.ContainsKey("pretty");
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.Body.WriteAsync(StatusJson.Serialize(status, hub.Snapshot(), pretty)).ConfigureAwait(false);
        });

        app.MapGet("/metrics", async context =>
        {
            PipelineStatus? status = await TryGetStatusAsync(statusSource, context.RequestAborted).ConfigureAwait(false);
            if (status is null)
            {
                await Unavailable(context).ConfigureAwait(false);
                return;
            }
            context.Response.ContentType = PrometheusText.ContentType;
            await context.Response.WriteAsync(PrometheusText.Write(status, hub.Snapshot())).ConfigureAwait(false);
        });

        string webRoot = Path.Combine(AppContext.BaseDirectory, WebFolder);
        if (File.Exists(Path.Combine(webRoot, "index.html")))
        {
            var files = new PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
            });
            // The cluster page (web/cluster.html, docs/api.md) at /cluster as well as /cluster.html.
            app.MapGet("/cluster", () => Results.File(Path.Combine(webRoot, "cluster.html"), "text/html; charset=utf-8"));
        }
        else
        {
            app.MapGet("/", () => Results.Text(
                $"The scope page was not built ({webRoot}/index.html is missing): build src/Gateway.Node (its build runs npm ci and npm run build in src/Gateway.Node/web).\n",
                statusCode: StatusCodes.Status500InternalServerError));
        }
    }

    private static async Task<PipelineStatus?> TryGetStatusAsync(Func<CancellationToken, Task<PipelineStatus>> statusSource, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            return await statusSource(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Task Unavailable(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync("{\"error\":\"the acquisition node did not answer the status request within 3 s\"}");
    }

    /// <summary>Sends every client a status message each status-interval and closes clients that stayed too slow.</summary>
    private async Task RunStatusLoopAsync(Func<CancellationToken, Task<PipelineStatus>> statusSource, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                Hub.Tick();
                if (Hub.Clients.Count == 0) continue;
                PipelineStatus? status = await TryGetStatusAsync(statusSource, ct).ConfigureAwait(false);
                if (status is not null) Hub.BroadcastText(StatusJson.Message(status, Hub.Snapshot()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Closes every client and stops Kestrel.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _stopping.Cancel();
        _forwarder.Tell(PoisonPill.Instance);
        await _statusLoop.ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
