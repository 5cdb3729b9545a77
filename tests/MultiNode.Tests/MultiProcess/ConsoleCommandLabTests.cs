using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Eeg.Tests.MultiNode.MultiProcess;

/// <summary>
/// The cluster console (Gateway.Node console|status|record|stage ...) and the /cluster page against
/// the three-node lab on loopback (issue 9's must-show list).
/// </summary>
[Collection("lab")]
public sealed class ConsoleCommandLabTests(ConsoleLab lab, ITestOutputHelper output) : IClassFixture<ConsoleLab>, IDisposable
{
    public void Dispose()
    {
        foreach (string note in lab.Interruptions) output.WriteLine("lab interrupted: " + note);
        lab.Interruptions.Clear();
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Status_json_lists_the_three_nodes_with_their_roles_and_the_pipeline_counters()
    {
        await lab.HealthyAsync();
        (int code, string stdout, string stderr) = await lab.ConsoleAsync("status", "--json");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        JsonElement cluster = JsonDocument.Parse(stdout).RootElement;
        JsonElement[] nodes = ConsoleLab.Nodes(cluster).ToArray();
        Assert.Equal(3, nodes.Length);
        Assert.Equal(["acquisition", "gateway", "processing"],
            nodes.Select(n => string.Join(",", n.GetProperty("roles").EnumerateArray().Select(r => r.GetString()))).Order());
        Assert.All(nodes, n =>
        {
            Assert.Equal("Up", n.GetProperty("state").GetString());
            Assert.True(n.GetProperty("reachable").GetBoolean());
            Assert.True(n.GetProperty("answered").GetBoolean(), n.ToString());
            Assert.StartsWith("akka.tcp://eeg@127.0.0.1:", n.GetProperty("address").GetString());
        });
        JsonElement acquisition = nodes.Single(n => n.GetProperty("roles")[0].GetString() == "acquisition");
        JsonElement pipeline = acquisition.GetProperty("pipeline");
        Assert.Equal(LocalLab.Channels, pipeline.GetProperty("channels").GetInt32());
        Assert.True(pipeline.GetProperty("samples").GetInt64() > 4000, pipeline.ToString());
        Assert.True(pipeline.GetProperty("frames").GetInt64() > 0, pipeline.ToString());
        Assert.Equal(JsonValueKind.Number, pipeline.GetProperty("overruns").ValueKind);
        Assert.Equal(JsonValueKind.Number, pipeline.GetProperty("corruptFrames").ValueKind);
        Assert.True(pipeline.GetProperty("latencyMicros").GetProperty("count").GetInt64() > 0, pipeline.ToString());
        Assert.Contains(acquisition.GetProperty("remoteSinks").EnumerateArray(), r => r.GetProperty("name").GetString() == "remote-recorder");
        JsonElement processing = nodes.Single(n => n.GetProperty("roles")[0].GetString() == "processing");
        Assert.Equal(JsonValueKind.Null, processing.GetProperty("pipeline").ValueKind);
        Assert.Contains(processing.GetProperty("sinks").EnumerateArray(), s => s.GetProperty("name").GetString() == ConsoleLab.Stage && s.GetProperty("kind").GetString() == "stage");

        // The table view of the same: every node's address in it.
        (int plainCode, string table, _) = await lab.ConsoleAsync("status");
        Assert.Equal(0, plainCode);
        Assert.All(nodes, n => Assert.Contains(n.GetProperty("address").GetString()!, table));
        output.WriteLine(table);
    }

    [Fact]
    public async Task Record_start_then_record_stop_leaves_a_recording_that_verify_accepts()
    {
        await lab.HealthyAsync();
        (int startCode, string started, string startError) = await lab.ConsoleAsync("record", "start", "--subject", "S09", "--session", "2", "--token", ConsoleLab.Token, "--json");
        Assert.True(startCode == 0, $"record start: exit {startCode}: {startError}");
        JsonElement recording = JsonDocument.Parse(started).RootElement;
        Assert.Equal("recording", recording.GetProperty("state").GetString());
        string name = recording.GetProperty("name").GetString()!;

        // Two seconds of signal in the file before it is stopped (the recorder reports what it holds).
        JsonElement? recorded = await lab.WaitForClusterAsync(c => ConsoleLab.Recordings(c).Any(r => r.GetProperty("name").GetString() == name && r.GetProperty("samples").GetInt64() >= 8000), Patience);
        Assert.True(recorded is not null, "the recording never held two seconds:\n" + (await lab.ClusterAsync()));

        (int stopCode, string stopped, string stopError) = await lab.ConsoleAsync("record", "stop", "--token", ConsoleLab.Token, "--json");
        Assert.True(stopCode == 0, $"record stop: exit {stopCode}: {stopError}");
        JsonElement info = JsonDocument.Parse(stopped).RootElement;
        Assert.Equal(name, info.GetProperty("name").GetString());
        Assert.Equal("stopped", info.GetProperty("state").GetString());
        string bdf = info.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Single(f => f.EndsWith(".bdf", StringComparison.Ordinal));

        VerifiedRecording verified = VerifiedRecording.Of(bdf);
        output.WriteLine(verified.Report);
        Assert.True(verified.ExitCode == 0, verified.Report);
        Assert.Equal(0, verified.Gaps);
        Assert.True(verified.LastIndex - verified.FirstIndex >= 8000 - 1, verified.Report);
        Assert.Contains("S09", Path.GetFileName(bdf));
    }

    [Fact]
    public async Task Stage_restart_raises_the_stages_restart_count()
    {
        JsonElement before = await lab.HealthyAsync();
        int restarts = ConsoleLab.Sink(before, ConsoleLab.Stage).GetProperty("restarts").GetInt32();

        (int code, string stdout, string stderr) = await lab.ConsoleAsync("stage", "restart", ConsoleLab.Stage, "--token", ConsoleLab.Token);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Matches($@"^stage {ConsoleLab.Stage} on akka\.tcp://eeg@127\.0\.0\.1:\d+ restarted \(restarts: {restarts + 1}\)$", stdout.Trim());
        JsonElement? after = await lab.WaitForClusterAsync(c =>
        {
            JsonElement stage = ConsoleLab.Sink(c, ConsoleLab.Stage);
            return stage.GetProperty("restarts").GetInt32() == restarts + 1 && stage.GetProperty("running").GetBoolean();
        }, Patience);
        Assert.True(after is not null, $"restarts stayed at {restarts} or the stage did not run again:\n" + (await lab.ClusterAsync()));
    }

    [Fact]
    public async Task Control_calls_without_the_token_or_with_a_wrong_one_are_refused_with_401_and_change_nothing()
    {
        JsonElement before = await lab.HealthyAsync();
        int restarts = ConsoleLab.Sink(before, ConsoleLab.Stage).GetProperty("restarts").GetInt32();
        int recordings = ConsoleLab.Recordings(before).Length;

        var refused = new List<(int Code, string Out, string Error)>
        {
            await lab.ConsoleAsync("stage", "restart", ConsoleLab.Stage),
            await lab.ConsoleAsync("stage", "restart", ConsoleLab.Stage, "--token", "not-the-token-0123456789"),
            await lab.ConsoleAsync("record", "start", "--subject", "X"),
            await lab.ConsoleAsync("stage", "stop", ConsoleLab.Stage, "--token", ""),
        };

        Assert.All(refused, r =>
        {
            Assert.Equal(1, r.Code);
            Assert.Equal("", r.Out);
            string line = Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
            Assert.Contains(": 401 ", line);
            Assert.Contains("token", line);
        });
        JsonElement after = (await lab.ClusterAsync()) ?? throw new InvalidOperationException("no /api/cluster");
        JsonElement stage = ConsoleLab.Sink(after, ConsoleLab.Stage);
        Assert.Equal(restarts, stage.GetProperty("restarts").GetInt32());
        Assert.True(stage.GetProperty("running").GetBoolean());
        Assert.Equal(recordings, ConsoleLab.Recordings(after).Length);
    }

    [Fact]
    public async Task The_cluster_page_in_headless_chromium_shows_all_three_nodes_and_restarts_a_stage_once_given_the_token()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium)");
        JsonElement before = await lab.HealthyAsync();
        string[] addresses = ConsoleLab.Nodes(before).Select(n => n.GetProperty("address").GetString()!).ToArray();
        int restarts = ConsoleLab.Sink(before, ConsoleLab.Stage).GetProperty("restarts").GetInt32();

        string profile = Path.Combine(Path.GetTempPath(), "eeg-cluster-chromium-" + Guid.NewGuid().ToString("N"));
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowserContext browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        try
        {
            IPage page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            page.Console += (_, m) => { if (m.Type == "error" && !m.Text.Contains("401", StringComparison.Ordinal)) errors.Add(m.Text + " @ " + m.Location); };

            // From the scope page to the cluster page by its link.
            await page.GotoAsync(lab.BaseAddress.ToString());
            await page.ClickAsync("#cluster-link");
            await page.WaitForURLAsync(new Uri(lab.BaseAddress, "cluster").ToString());
            // Two snapshots: the second has rates.
            await page.WaitForFunctionAsync("() => document.body.dataset.nodes === '3' && Number(document.body.dataset.clusterUpdates) >= 2", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            string nodesTable = await page.InnerTextAsync("#nodes tbody");
            Assert.Equal(3, await page.Locator("#nodes tbody tr").CountAsync());
            Assert.All(addresses, a => Assert.Contains(a, nodesTable));
            Assert.Contains("acquisition", nodesTable);
            Assert.Contains("processing", nodesTable);
            Assert.Contains("gateway", nodesTable);
            Assert.Matches(@"\d[\d,]* / 4,000", await page.InnerTextAsync("#pipeline tbody"));
            Assert.Contains(ConsoleLab.Stage, await page.InnerTextAsync("#sinks tbody"));
            Assert.Contains("remote-recorder", await page.InnerTextAsync("#remote-sinks tbody"));

            string screenshots = Path.Combine(ConsoleLab.RepositoryRoot(), "artifacts", "screenshots");
            Directory.CreateDirectory(screenshots);
            string screenshot = Path.Combine(screenshots, "cluster.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            output.WriteLine($"screenshot: {screenshot}");

            // Restart the stage from its row: no token yet, so the page asks; a wrong one is refused
            // (401) and asked again; the right one restarts the stage.
            ILocator restart = page.Locator($"#sinks tr[data-sink='{ConsoleLab.Stage}'] button", new PageLocatorOptions { HasTextString = "Restart" });
            await restart.ClickAsync();
            await page.Locator("#token-bar").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 5_000 });
            await page.FillAsync("#token-input", "a-wrong-token-0123456789");
            await page.ClickAsync("#token-save");
            await page.WaitForFunctionAsync("() => document.getElementById('action-result').textContent.includes('wrong or missing control token')", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            Assert.True(await page.IsVisibleAsync("#token-bar"));
            Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('eeg.controlToken')"));
            await page.FillAsync("#token-input", ConsoleLab.Token);
            await page.ClickAsync("#token-save");
            await page.WaitForFunctionAsync("() => document.getElementById('action-result').textContent.includes('restarted')", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            Assert.Equal($"stage {ConsoleLab.Stage} on ", (await page.InnerTextAsync("#action-result"))[..($"stage {ConsoleLab.Stage} on ".Length)]);
            Assert.Equal(ConsoleLab.Token, await page.EvaluateAsync<string>("() => localStorage.getItem('eeg.controlToken')"));
            JsonElement? after = await lab.WaitForClusterAsync(c => ConsoleLab.Sink(c, ConsoleLab.Stage).GetProperty("restarts").GetInt32() == restarts + 1, Patience);
            Assert.True(after is not null, "the page's restart did not raise the restart count:\n" + (await lab.ClusterAsync()));
            await page.WaitForFunctionAsync("n => Number(document.body.dataset.clusterUpdates) >= n", await page.EvaluateAsync<int>("() => Number(document.body.dataset.clusterUpdates) + 2"), new PageWaitForFunctionOptions { Timeout = 10_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "cluster-after-restart.png"), FullPage = true });

            foreach (string e in errors) output.WriteLine("page error: " + e);
            Assert.Empty(errors);
        }
        finally
        {
            await browser.CloseAsync();
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}
