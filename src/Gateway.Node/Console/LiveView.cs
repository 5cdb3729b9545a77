using Spectre.Console;

namespace Eeg.Gateway.ClusterConsole;

/// <summary>
/// The live view: GET /api/cluster once a second, rates from the last two snapshots. On a terminal,
/// a Spectre.Console Live table redrawn in place (q or Ctrl+C quits); when stdout is redirected,
/// one plain-text snapshot per second, or a single one with --once (taken after two snapshots a
/// second apart, so that it has rates).
/// </summary>
public static class LiveView
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(LabApiClient client, ConsoleIo io, bool once, CancellationToken ct)
    {
        // The first snapshot decides: a gateway that does not answer is one line and exit code 1.
        ClusterSnapshot previous = await client.ClusterAsync(ct).ConfigureAwait(false);
        string source = client.BaseAddress.ToString();
        if (once || !io.Interactive) return await PlainAsync(client, io, previous, once, source, ct).ConfigureAwait(false);

        using var quit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (io.KeysAvailable) _ = Task.Run(() => WaitForQuitKey(quit), CancellationToken.None);
        ClusterSnapshot current = previous;
        SnapshotRates rates = SnapshotRates.None;
        await AnsiConsole.Live(ClusterView.Render(current, rates, source, plain: false))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async ctx =>
            {
                using var timer = new PeriodicTimer(Interval);
                try
                {
                    while (await timer.WaitForNextTickAsync(quit.Token).ConfigureAwait(false))
                    {
                        string? error = null;
                        try
                        {
                            ClusterSnapshot next = await client.ClusterAsync(quit.Token).ConfigureAwait(false);
                            rates = SnapshotRates.Between(current, next);
                            current = next;
                        }
                        catch (LabApiException e)
                        {
                            // Keep the last picture and say why it is old; the gateway may come back.
                            error = e.Message;
                        }
                        ctx.UpdateTarget(ClusterView.Render(current, rates, source, plain: false, error));
                        ctx.Refresh();
                    }
                }
                catch (OperationCanceledException) when (quit.IsCancellationRequested)
                {
                }
            }).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> PlainAsync(LabApiClient client, ConsoleIo io, ClusterSnapshot previous, bool once, string source, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        if (!once)
        {
            await io.Out.WriteLineAsync(ClusterView.RenderText(previous, SnapshotRates.None, source, io.Width)).ConfigureAwait(false);
            await io.Out.FlushAsync(ct).ConfigureAwait(false);
        }
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                ClusterSnapshot next;
                try
                {
                    next = await client.ClusterAsync(ct).ConfigureAwait(false);
                }
                catch (LabApiException e) when (!once)
                {
                    await io.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                    continue;
                }
                await io.Out.WriteLineAsync(ClusterView.RenderText(next, SnapshotRates.Between(previous, next), source, io.Width)).ConfigureAwait(false);
                await io.Out.FlushAsync(ct).ConfigureAwait(false);
                if (once) return 0;
                previous = next;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return 0;
    }

    private static void WaitForQuitKey(CancellationTokenSource quit)
    {
        try
        {
            while (!quit.IsCancellationRequested)
            {
                ConsoleKeyInfo key = System.Console.ReadKey(intercept: true);
                if (key.Key is ConsoleKey.Q or ConsoleKey.Escape)
                {
                    quit.Cancel();
                    return;
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // No readable keyboard after all: Ctrl+C still quits.
        }
    }
}
