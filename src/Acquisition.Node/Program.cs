using System.Globalization;
using System.Runtime.InteropServices;
using Akka.Configuration;
using Eeg.Acquisition.Commands;
using Eeg.Acquisition.Hosting;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;
using Eeg.Processing.Recording;

namespace Eeg.Acquisition;

/// <summary>
/// The acquisition node's executable. Without a command it runs the node (all roles in one process
/// unless the configuration says otherwise) until Ctrl+C or SIGTERM; with a command it runs that
/// tool and exits. A configuration or input mistake prints one line and exits with code 2.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: Acquisition.Node [run] [--config FILE] [--seconds N]     run the node (all roles, simulated amplifier by default)
               Acquisition.Node filter --in IN.csv --out OUT.csv [--config FILE]   the online filter chain over a CSV file
               Acquisition.Node verify FILE.bdf [--pattern]             report a recording; --pattern checks every value
               Acquisition.Node repair FILE.bdf                         fix the header of a recording cut by a crash
               Acquisition.Node convert IN OUT                          BDF to CSV or CSV to BDF
               Acquisition.Node selftest [--events N]                   stress the ring (run it on every new machine, the Pi included)
        settings: hocon/reference.conf; environment overrides such as EEG_CHANNELS, EEG_SAMPLE_RATE, EEG_SOURCE
        """;

    public static async Task<int> Main(string[] args)
    {
        NodeCommandLine command;
        try
        {
            command = NodeCommandLine.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (command.Flag("help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        try
        {
            return command.Command switch
            {
                null or "run" => await RunNodeAsync(command),
                "filter" => Filter(command),
                "verify" => VerifyCommand.Run(Positional(command, 0, "the recording to verify"), command.Flag("pattern"), Console.Out, Console.Error),
                "repair" => RepairCommand.Run(Positional(command, 0, "the recording to repair"), Console.Out, Console.Error),
                "convert" => ConvertCommand.Run(Positional(command, 0, "the input file"), Positional(command, 1, "the output file"), Console.Out, Console.Error),
                "selftest" => SelfTest(command),
                _ => Unknown(command.Command),
            };
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"configuration error: {ex.Message}");
            return 2;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }

    private static async Task<int> RunNodeAsync(NodeCommandLine command)
    {
        Config config = ConfigLoader.Load(command.ConfigFile);
        TimeSpan? runFor = command.Option("seconds") is { } seconds
            ? TimeSpan.FromSeconds(ParseSeconds(seconds))
            : null;

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        NodeHost started;
        try
        {
            started = await NodeHost.StartAsync(config, Console.Out, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // SIGTERM or Ctrl+C while still starting (systemctl stop during a slow start): NodeHost has
            // already stopped what it had started, so this is a clean stop, not a crash.
            Console.WriteLine("stopped before start-up finished");
            return 0;
        }
        await using NodeHost host = started;
        Console.WriteLine($"EEG node running: {host.Settings.Describe()}");
        foreach (string line in host.Banner()) Console.WriteLine(line);
        Console.WriteLine(runFor is null ? "Ctrl+C stops it." : $"Stops by itself after {runFor.Value.TotalSeconds:0.#} s.");

        Task stopped = Task.Delay(runFor ?? Timeout.InfiniteTimeSpan, stop.Token);
        Task finished = await Task.WhenAny(stopped, host.SourceCompletion, host.System.WhenTerminated);
        if (finished == host.System.WhenTerminated && !stop.IsCancellationRequested)
        {
            // Only in a lab cluster: the split brain resolver downed this node (it keeps the
            // acquisition side, so this takes a partition it cannot settle, e.g. an indirectly
            // connected acquisition node). Its actors are gone, so acquiring on would feed nothing:
            // exit with 1 so that systemd or local-lab.sh restarts it and it rejoins (a new stream,
            // which the recorder starts in a new file).
            Console.Error.WriteLine("this node was removed from the cluster; exiting so that it restarts and rejoins");
            Console.WriteLine(host.FinalStatusLine());
            return 1;
        }
        if (finished == host.SourceCompletion)
        {
            Console.WriteLine(host.SourceCompletion.IsFaulted
                ? $"source failed: {host.SourceCompletion.Exception?.InnerException?.Message}"
                : host.Settings.Source == SourceKind.Replay ? "source ended (end of the replayed file)" : "source ended");
        }
        Console.WriteLine(host.FinalStatusLine());
        Console.WriteLine("stopping...");
        return host.SourceCompletion.IsFaulted ? 1 : 0;
    }

    private static int Filter(NodeCommandLine command)
    {
        string input = command.Option("in") ?? throw new ArgumentException("filter needs --in IN.csv");
        string output = command.Option("out") ?? throw new ArgumentException("filter needs --out OUT.csv");
        PipelineSettings settings = PipelineSettings.FromConfig(ConfigLoader.Load(command.ConfigFile));
        return FilterCommand.Run(input, output, settings.Dsp, settings.SampleRate, Console.Out, Console.Error);
    }

    private static int SelfTest(NodeCommandLine command)
    {
        long events = command.Option("events") is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 2_000_000;
        bool ok = true;
        foreach (WaitStrategyKind kind in new[] { WaitStrategyKind.Blocking, WaitStrategyKind.Yielding, WaitStrategyKind.BusySpin })
        {
            // Busy-spin with several spinning consumers on few cores measures the scheduler, not the ring.
            int consumers = kind == WaitStrategyKind.BusySpin ? 1 : 2;
            ok &= RingSelfTest.Run(events, consumers, kind, Console.Out);
        }
        Console.WriteLine(ok ? "selftest passed" : "selftest FAILED");
        return ok ? 0 : 1;
    }

    private static string Positional(NodeCommandLine command, int index, string what) =>
        index < command.Positionals.Count ? command.Positionals[index] : throw new ArgumentException($"{command.Command} needs {what}");

    private static double ParseSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0
            ? value
            : throw new ArgumentException($"--seconds {text}: a number of seconds above 0");

    private static int Unknown(string? name)
    {
        Console.Error.WriteLine($"unknown command '{name}'");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
