namespace Eeg.Gateway.ClusterConsole;

/// <summary>
/// Entry of the cluster console (<c>Gateway.Node console|status|nodes|record|marker|stage|impedance|filters|leave</c>,
/// docs/api.md). It only talks HTTP to a running gateway: no Kestrel and no actor system start here.
/// Exit codes: 0 done, 1 the call failed (one line on stderr), 2 bad arguments (one line on stderr).
/// </summary>
public static class ConsoleCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && ConsoleArguments.Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, ConsoleIo io, CancellationToken ct, HttpClient? http = null)
    {
        ConsoleArguments arguments;
        try
        {
            arguments = ConsoleArguments.Parse(args, io.Environment);
        }
        catch (ArgumentException e)
        {
            await io.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }
        using var client = new LabApiClient(arguments.Url, arguments.Token, http);
        try
        {
            return arguments.Verb == "console"
                ? await LiveView.RunAsync(client, io, arguments.Once, ct).ConfigureAwait(false)
                : await Subcommands.RunAsync(arguments, client, io, ct).ConfigureAwait(false);
        }
        catch (LabApiException e)
        {
            await io.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
    }
}
