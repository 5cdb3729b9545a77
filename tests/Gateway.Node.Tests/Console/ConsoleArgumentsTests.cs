using Eeg.Gateway.ClusterConsole;

namespace Eeg.Tests.Gateway.Node.Console;

public class ConsoleArgumentsTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    private static ConsoleArguments Parse(params string[] args) => ConsoleArguments.Parse(args, NoEnvironment.GetValueOrDefault);

    private static async Task<(int Code, string Out, string Error)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await ConsoleCommand.RunAsync(args, new ConsoleIo(output, error, Interactive: false, KeysAvailable: false, Width: 200, environment.GetValueOrDefault), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Record_start_takes_subject_and_session_and_the_url_from_the_option()
    {
        ConsoleArguments a = Parse("record", "start", "--subject", "S01", "--session=2", "--url", "http://10.0.0.5:6000", "--json");

        Assert.Equal("record", a.Verb);
        Assert.Equal(["start"], a.Words);
        Assert.Equal("S01", a.Subject);
        Assert.Equal("2", a.Session);
        Assert.Equal(new Uri("http://10.0.0.5:6000/"), a.Url);
        Assert.True(a.Json);
    }

    [Fact]
    public void The_url_comes_from_EEG_GATEWAY_URL_and_else_is_the_default_loopback_gateway()
    {
        var env = new Dictionary<string, string> { ["EEG_GATEWAY_URL"] = "127.0.0.1:7000" };

        Assert.Equal(new Uri("http://127.0.0.1:7000/"), ConsoleArguments.Parse(["status"], env.GetValueOrDefault).Url);
        Assert.Equal(new Uri(ConsoleArguments.DefaultUrl), Parse("status").Url);
    }

    [Fact]
    public void The_token_comes_from_the_option_before_the_environment_before_the_token_file_the_gateway_uses()
    {
        string home = Directory.CreateTempSubdirectory("eeg-home-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(home, ".config", "eeg"));
            File.WriteAllText(Path.Combine(home, ".config", "eeg", "control-token"), "from-file\n");
            var fileOnly = new Dictionary<string, string> { ["HOME"] = home };
            var both = new Dictionary<string, string> { ["HOME"] = home, ["EEG_CONTROL_TOKEN"] = "from-env" };

            Assert.Equal("from-file", ConsoleArguments.Parse(["record", "stop"], fileOnly.GetValueOrDefault).Token);
            Assert.Equal("from-env", ConsoleArguments.Parse(["record", "stop"], both.GetValueOrDefault).Token);
            Assert.Equal("from-option", ConsoleArguments.Parse(["record", "stop", "--token", "from-option"], both.GetValueOrDefault).Token);
            Assert.Null(Parse("record", "stop").Token);
            File.WriteAllText(Path.Combine(home, "elsewhere"), "from-named-file");
            var named = new Dictionary<string, string> { ["HOME"] = home, ["EEG_CONTROL_TOKEN_FILE"] = "~/elsewhere" };
            Assert.Equal("from-named-file", ConsoleArguments.Parse(["record", "stop"], named.GetValueOrDefault).Token);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void Filters_take_frequencies_in_hertz_and_leave_the_others_unset()
    {
        ConsoleArguments a = Parse("filters", "--highpass", "1.5", "--notch", "0");

        Assert.Equal(1.5, a.HighpassHz);
        Assert.Null(a.LowpassHz);
        Assert.Equal(0, a.NotchHz);
    }

    [Fact]
    public void A_marker_text_of_several_words_is_kept_whole()
    {
        Assert.Equal("eyes closed", string.Join(' ', Parse("marker", "eyes", "closed").Words));
    }

    [Theory]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("record needs start or stop", "record")]
    [InlineData("record needs start or stop", "record", "pause")]
    [InlineData("stage needs restart, stop or start and a stage name", "stage", "restart")]
    [InlineData("impedance needs on or off", "impedance", "maybe")]
    [InlineData("marker needs a text", "marker")]
    [InlineData("leave needs the node's address", "leave")]
    [InlineData("--notch fifty is not allowed: a frequency in Hz, 0 or more (0 = off)", "filters", "--notch", "fifty")]
    [InlineData("--lowpass -3 is not allowed", "filters", "--lowpass", "-3")]
    [InlineData("unknown option --subject for stage", "stage", "restart", "alpha", "--subject", "S01")]
    [InlineData("--url needs a value", "status", "--url")]
    [InlineData("--url ftp://x is not an http:// or https:// address", "status", "--url", "ftp://x")]
    [InlineData("status takes no argument 'now'", "status", "now")]
    [InlineData("--json is given twice", "nodes", "--json", "--json")]
    public async Task A_bad_argument_is_one_line_on_stderr_with_the_usage_and_exit_code_2(string expected, params string[] args)
    {
        (int code, string output, string error) = await RunAsync(NoEnvironment, args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith(expected, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("usage: Gateway.Node", error);
    }

    [Fact]
    public async Task An_unreachable_gateway_is_one_line_on_stderr_and_exit_code_1()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        (int code, string output, string error) = await RunAsync(NoEnvironment, "status", "--url", $"http://127.0.0.1:{port}/");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"the gateway at http://127.0.0.1:{port}/ does not answer (connection refused): is the node running? (--url or EEG_GATEWAY_URL)", error.TrimEnd('\n'));
    }

    [Fact]
    public void Only_the_console_verbs_are_taken_from_the_node_so_its_config_option_still_starts_a_node()
    {
        Assert.True(ConsoleCommand.Handles(["status", "--json"]));
        Assert.False(ConsoleCommand.Handles(["--config", "hocon/lab-3-nodes/gateway.conf"]));
        Assert.False(ConsoleCommand.Handles([]));
    }
}
