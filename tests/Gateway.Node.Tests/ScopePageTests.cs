using System.Diagnostics;
using System.Text.Json;
using Eeg.Tests.Gateway.Node.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Eeg.Tests.Gateway.Node;

/// <summary>The live scope in Debian's headless Chromium, driven by Playwright, fed 32 ch x 4000 SPS of EEG-like signal.</summary>
[Collection(GatewayIntegration.Name)]
public class ScopePageTests : Akka.TestKit.Xunit2.TestKit
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly ITestOutputHelper _output;

    public ScopePageTests(ITestOutputHelper output) : base(output: output) => _output = output;

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task The_scope_draws_a_trace_for_every_channel_and_its_counters_update()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium; scripts/install-test-deps.sh does it)");
        await using GatewayHost host = await GatewayHost.StartAsync(Sys, triggerEverySamples: 6000, gapsAt: [34_000]);
        // A stage's output, as a band-power stage host would publish it (a few times a second).
        using var stageOutputs = new CancellationTokenSource();
        Task publisher = PublishAlphaPowerAsync(Sys, host, stageOutputs.Token);

        string profile = Path.Combine(Path.GetTempPath(), "eeg-scope-chromium-" + Guid.NewGuid().ToString("N"));
        using IPlaywright playwright = await Playwright.CreateAsync();
        // A fresh profile folder (Playwright passes it as --user-data-dir).
        await using IBrowserContext browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        try
        {
            IPage page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text + " @ " + m.Location); };
            await page.GotoAsync(host.BaseAddress.ToString());
            // The stream starts once the page is connected, so the page sees all of it.
            await page.WaitForFunctionAsync("() => window.scope.socket && window.scope.socket.readyState === 1", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            host.Feeder.Start();

            // Traces for all 32 channels, and two status messages (counters updated twice).
            await page.WaitForFunctionAsync("() => document.body.dataset.drawnChannels === '32' && Number(document.body.dataset.statusUpdates) >= 2", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            string uptime1 = await page.InnerTextAsync("#c-uptime");
            string frames1 = await page.InnerTextAsync("#c-frames");
            // Let the 10 s time base fill, with a trigger every 1.5 s and one gap at 8.5 s.
            var clock = Stopwatch.StartNew();
            while (host.Feeder.NextIndex < 4000 * 11 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
            await page.WaitForFunctionAsync($"n => Number(document.body.dataset.statusUpdates) >= n", 5, new PageWaitForFunctionOptions { Timeout = 20_000 });
            string uptime2 = await page.InnerTextAsync("#c-uptime");
            string frames2 = await page.InnerTextAsync("#c-frames");

            // Pixel check: in every channel's lane, the plot canvas has trace-coloured pixels.
            string lanesJson = await page.EvaluateAsync<string>(@"() => {
                const canvas = document.querySelector('#scope canvas');
                const ctx = canvas.getContext('2d');
                return JSON.stringify(window.scope.lanes().map(l => {
                    const h = Math.max(1, l.bottom - l.top), w = l.right - l.left;
                    const data = ctx.getImageData(l.left, l.top, w, h).data;
                    let ink = 0;
                    for (let i = 0; i < data.length; i += 4) {
                        const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
                        if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) ink++;
                    }
                    return { name: l.name, ink, height: h, width: w };
                }));
            }");
            var lanes = JsonSerializer.Deserialize<List<Lane>>(lanesJson, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

            Directory.CreateDirectory(ScreenshotDirectory);
            string screenshot = Path.Combine(ScreenshotDirectory, "scope.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
            // A close-up of the markers' labels and the first lanes, to check they are legible.
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(ScreenshotDirectory, "scope-detail.png"),
                Clip = new Clip { X = 700, Y = 70, Width = 640, Height = 200 },
            });
            _output.WriteLine($"screenshot: {screenshot}");
            _output.WriteLine($"uptime {uptime1} -> {uptime2}, received {frames1} -> {frames2}");
            var latency = host.Counters.Latency.Snapshot();
            _output.WriteLine($"feeder overruns {host.Feeder.Overruns}; scope sink latency p50 {latency.P50:0} us, p99 {latency.P99:0} us, max {latency.Max:0} us");
            _output.WriteLine(string.Join(", ", lanes.Select(l => $"{l.Name}:{l.Ink}")));

            foreach (string e in errors) _output.WriteLine("page error: " + e);
            Assert.Empty(errors);
            Assert.Equal(32, lanes.Count);
            // A lane is ~20 px high and ~1300 px wide; a drawn trace colours well over one pixel per column.
            Assert.All(lanes, l => Assert.True(l.Ink > l.Width, $"{l.Name}: {l.Ink} trace pixels in a {l.Width} x {l.Height} lane"));
            Assert.NotEqual(uptime1, uptime2);
            Assert.NotEqual(frames1, frames2);
            int gaps = await page.EvaluateAsync<int>("() => window.scope.gaps.filter(g => g.upstream).length");
            _output.WriteLine("gap markers: " + await page.EvaluateAsync<string>("() => JSON.stringify(window.scope.gaps)"));
            int triggers = await page.EvaluateAsync<int>("() => window.scope.triggers.length");
            _output.WriteLine($"markers: {gaps} gap(s), {triggers} trigger(s)");
            _output.WriteLine("page draw stats: " + await page.EvaluateAsync<string>("() => JSON.stringify({ draws: window.scope.stats.draws, drawMsAvg: window.scope.stats.drawMs, drawMsMax: window.scope.stats.drawMsMax, frames: window.scope.stats.frames, messages: window.scope.stats.messages })"));
            Assert.Equal(1, gaps);
            Assert.True(triggers >= 3, $"{triggers} trigger markers");
            Assert.Equal(0, host.Feeder.Overruns);
            int bars = await page.Locator("#stages .bar").CountAsync();
            Assert.Equal(32, bars);

            // The controls a researcher uses: a 2 s time base, 20 uV/div, channels 17-32 hidden.
            await page.SelectOptionAsync("#timebase", "2");
            await page.SelectOptionAsync("#scale", "20");
            ILocator boxes = page.Locator("#channels input[type=checkbox]");
            for (int c = 16; c < 32; c++) await boxes.Nth(c).UncheckAsync();
            await page.WaitForFunctionAsync("() => document.body.dataset.drawnChannels === '16'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, "scope-16ch-2s.png") });
            double span = await page.EvaluateAsync<double>("() => { const l = window.scope.lanes(); return l.length; }");
            Assert.Equal(16, span);
        }
        finally
        {
            stageOutputs.Cancel();
            await publisher;
            await browser.CloseAsync();
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task PublishAlphaPowerAsync(Akka.Actor.ActorSystem system, GatewayHost host, CancellationToken ct)
    {
        IReadOnlyList<string> names = Eeg.Shared.Frames.StreamDescription.DefaultChannelNames(32);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                // Mean power of the test signal's alpha sine per channel (amplitude^2 / 2), uV^2.
                float[] values = Enumerable.Range(0, 32).Select(c => (float)(Math.Pow(8 + 22 * (c % 8) / 7.0, 2) / 2)).ToArray();
                // Through the event stream, the way stage hosts publish: the gateway's forwarder picks it up.
                system.EventStream.Publish(new Eeg.Shared.Stages.StageOutputUpdate("band-power", "alpha 8-12 Hz (uV^2)", host.Feeder.NextIndex, values, names));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record Lane(string Name, int Ink, int Height, int Width);
}
