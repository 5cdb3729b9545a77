using Eeg.Gateway.Configuration;
using Eeg.Gateway.Hosting;
using Eeg.Shared.Status;
using Eeg.Tests.Gateway.Node.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Eeg.Tests.Gateway.Node.Console;

/// <summary>
/// The /cluster page in Debian's headless Chromium, served by the gateway, with GET /api/cluster
/// answered by the browser from contract-shaped snapshots (the lab tests show it on a real lab):
/// its warnings, colours and rates.
/// </summary>
[Collection(GatewayIntegration.Name)]
public class ClusterPageTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    private static Task<PipelineStatus> NoStatus(CancellationToken ct) => throw new InvalidOperationException("no acquisition here");

    [Fact]
    public async Task Drops_on_a_lossless_sink_a_failed_stage_and_rising_overruns_are_red_and_the_rate_comes_from_two_snapshots()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium)");
        await using GatewayServer server = await GatewayServer.StartAsync(GatewaySettings.Default with { Port = 0, ControlToken = "page-test-token-0123456789" }, Sys, NoStatus, CancellationToken.None);

        string profile = Path.Combine(Path.GetTempPath(), "eeg-cluster-page-" + Guid.NewGuid().ToString("N"));
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
            int calls = 0;
            // Each poll is a snapshot one second later: 4000 samples, 5 overruns and 2 recorder drops more.
            await page.RouteAsync("**/api/cluster", route =>
            {
                int n = Interlocked.Increment(ref calls) - 1;
                return route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 200,
                    ContentType = "application/json",
                    Body = ContractSamples.Cluster(T0.AddSeconds(n), samples: 400_000 + 4000L * n, overruns: 5L * n, recorderDropped: 2L * n, alphaFailed: true),
                });
            });

            await page.GotoAsync(new Uri(server.BaseAddress, "cluster").ToString());
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.clusterUpdates) >= 3", null, new PageWaitForFunctionOptions { Timeout = 20_000 });

            string[] loss = (await page.Locator("#warnings li.loss").AllInnerTextsAsync()).ToArray();
            Assert.Contains(loss, w => w.StartsWith($"! overruns rising on {ContractSamples.Acquisition}: 5/s", StringComparison.Ordinal));
            Assert.Contains(loss, w => w.StartsWith($"! lossless recorder on {ContractSamples.Processing} dropped ", StringComparison.Ordinal));
            Assert.Contains($"! stage alpha on {ContractSamples.Processing} FAILED: NaN in the band power", loss);
            Assert.Equal(3, loss.Length);
            Assert.Contains("4,000 / 4,000", await page.InnerTextAsync("#pipeline tbody"));
            ILocator recorder = page.Locator("#sinks tr[data-sink='recorder']");
            Assert.Equal("loss", await recorder.GetAttributeAsync("class"));
            Assert.Contains("LOST", await recorder.InnerTextAsync());
            string red = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#warnings li.loss')).color");
            Assert.Equal("rgb(176, 0, 32)", red);
            Assert.Equal(3, await page.Locator("#nodes tbody tr").CountAsync());
            Assert.Contains("/data/recordings/S01_1_20261127T120000Z.bdf", await page.InnerTextAsync("#recordings tbody"));

            string screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "cluster-warnings.png"), FullPage = true });
            Assert.Empty(errors);
        }
        finally
        {
            await browser.CloseAsync();
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}
