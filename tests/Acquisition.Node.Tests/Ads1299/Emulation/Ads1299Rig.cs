using Eeg.Acquisition.Sources;
using Eeg.Acquisition.Sources.Ads1299;
using Eeg.Pipeline.Configuration;
using Eeg.Tests.Acquisition.Node.Support;

namespace Eeg.Tests.Acquisition.Node.Ads1299.Emulation;

/// <summary>An emulated board and the ADS1299 source brought up on it, as the node does (minus the test run, in manual pacing).</summary>
public sealed class Ads1299Rig : IDisposable
{
    private Ads1299Rig(EmulatedBoard board, PipelineSettings settings, Ads1299Source source)
    {
        Board = board;
        Settings = settings;
        Source = source;
        Counts = new int[source.Channels];
    }

    public EmulatedBoard Board { get; }
    public PipelineSettings Settings { get; }
    public Ads1299Source Source { get; }
    public int[] Counts { get; }

    /// <summary>pipeline.source = ads1299 with <paramref name="hocon"/> layered over it.</summary>
    public static PipelineSettings SettingsFor(int chips, Ads1299Wiring wiring, string hocon = "", int rate = 4000)
    {
        string chipSelects = wiring == Ads1299Wiring.Daisy ? "[0]" : "[" + string.Join(", ", Enumerable.Range(0, chips)) + "]";
        return TestSettings.Pipeline($$"""
            pipeline {
              source = ads1299
              channels = {{chips * 8}}
              sample-rate = {{rate}}
              ads1299 { wiring = {{(wiring == Ads1299Wiring.Daisy ? "daisy" : "per-chip")}}, chip-selects = {{chipSelects}} }
            }
            {{hocon}}
            """);
    }

    public static Ads1299Rig Create(int chips = 4, Ads1299Wiring wiring = Ads1299Wiring.Daisy, string hocon = "", Action<EmulatedBoard>? prepare = null, bool start = true, int rate = 4000)
    {
        PipelineSettings settings = SettingsFor(chips, wiring, hocon, rate);
        var board = new EmulatedBoard(chips, wiring, DrdyPacing.Manual,
            new Ads1299Pins(settings.Ads1299.DrdyPin, settings.Ads1299.StartPin, settings.Ads1299.ResetPin, settings.Ads1299.PowerDownPin));
        prepare?.Invoke(board);
        Ads1299Source source = Ads1299SourceFactory.Create(settings, board, probe: false);
        if (start) source.Start();
        return new Ads1299Rig(board, settings, source);
    }

    /// <summary>One conversion (DRDY falls), then the source waits for it and reads it into <see cref="Counts"/>.</summary>
    public SampleInfo Next()
    {
        Board.Tick();
        if (!Source.WaitForSample(out _)) throw new InvalidOperationException("the source stopped");
        Source.ReadSample(Counts, out SampleInfo info);
        return info;
    }

    public void Dispose()
    {
        Source.Dispose();
        Board.Dispose();
    }
}
