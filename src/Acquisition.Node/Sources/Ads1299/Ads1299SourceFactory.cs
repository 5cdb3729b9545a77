using System.Device.Gpio;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// Brings the chips up before the pipeline starts, so that every hardware mistake stops start-up
/// with one line (exit code 2) instead of failing inside the running node: the bus speed, the power-up
/// sequence, the ID, the registers (written and read back) and, with a short test run, that DRDY
/// fires and that every chip of a daisy chain sends a valid status word.
/// </summary>
public static class Ads1299SourceFactory
{
    /// <summary>How long the test run waits for the first DRDY (the slowest rate, 250 SPS, gives one every 4 ms).</summary>
    public static readonly TimeSpan FirstDrdyTimeout = TimeSpan.FromSeconds(1);

    public static Ads1299Source Create(PipelineSettings settings, IAds1299Hardware hardware, bool probe = true)
    {
        Ads1299Settings s = settings.Ads1299;
        int chips = settings.Channels / Ads1299Frame.ChannelsPerChip;
        Ads1299Buses buses = hardware.Open(s, chips);
        Ads1299? device = null;
        try
        {
            device = new Ads1299(buses.Data, chips, buses.Gpio, new Ads1299Pins(s.DrdyPin, s.StartPin, s.ResetPin, s.PowerDownPin), buses.Control);
            try
            {
                device.CheckBusSpeed(settings.SampleRate);
            }
            catch (Ads1299Exception ex)
            {
                throw new ConfigException($"pipeline.ads1299.clock-hz = {s.ClockHz} is not allowed: {ex.Message}");
            }
            var configuration = Ads1299Configuration.From(s, settings.SampleRate, settings.Gain, settings.ReferenceVolts, chips);
            try
            {
                device.PowerUp();
                device.CheckId();
                device.Configure(configuration);
                if (probe) Probe(device);
            }
            catch (Ads1299Exception ex)
            {
                throw new ConfigException($"pipeline.source = \"ads1299\" cannot start: {ex.Message}");
            }
            catch (IOException ex)
            {
                throw new ConfigException($"pipeline.source = \"ads1299\" cannot start: SPI or GPIO failed ({ex.Message})");
            }
            catch (DllNotFoundException)
            {
                throw new ConfigException("pipeline.source = \"ads1299\" cannot start: libgpiod is not installed: sudo apt install libgpiod2 (Debian 12) or libgpiod3 (Debian 13)");
            }
            catch (UnauthorizedAccessException)
            {
                throw new ConfigException("pipeline.source = \"ads1299\" cannot start: GPIO or SPI access denied: add the user to the gpio and spi groups (sudo usermod -aG spi,gpio $USER) and log in again");
            }
            return new Ads1299Source(device, configuration, settings.WaitStrategy, (s.TriggerPin, s.TriggerEdge), s.Cpu);
        }
        catch
        {
            if (device is not null) device.Dispose();
            else foreach (var d in buses.Data.Concat(buses.Control).Distinct()) d.Dispose();
            buses.Gpio.Dispose();
            throw;
        }
    }

    // One conversion end to end: DRDY must fall, and each chip's status word must start with 1100
    // (a chip missing from a daisy chain shows 0x00 or 0xFF there: its ID cannot be read alone).
    private static void Probe(Ads1299 device)
    {
        using var ready = new ManualResetEventSlim(false);
        PinChangeEventHandler onEdge = (_, _) => ready.Set();
        device.Gpio.RegisterCallbackForPinValueChangedEvent(device.DataReadyPin, PinEventTypes.Falling, onEdge);
        try
        {
            device.StartConversions();
            if (!ready.Wait(FirstDrdyTimeout))
            {
                throw new Ads1299Exception($"no DRDY falling edge on GPIO {device.DataReadyPin} within {FirstDrdyTimeout.TotalSeconds:0} s of START: check pipeline.ads1299.drdy-pin, start-pin and the chips' clock");
            }
            Span<byte> frame = stackalloc byte[device.FrameBytes];
            device.ReadFrame(frame);
            for (int chip = 0; chip < device.Chips; chip++)
            {
                ReadOnlySpan<byte> status = frame.Slice(chip * Ads1299Frame.BytesPerChip, 3);
                if ((status[0] & 0xF0) != 0xC0)
                {
                    throw new Ads1299Exception(
                        $"chip {chip} sent status word 0x{status[0]:X2}{status[1]:X2}{status[2]:X2}, which must start with binary 1100: "
                        + (device.DaisyChained ? $"check that {device.Chips} chips are daisy-chained (DOUT to DAISY_IN) and pipeline.channels" : "check its chip select and DOUT (MISO)"));
                }
            }
        }
        finally
        {
            device.StopConversions();
            device.Gpio.UnregisterCallbackForPinValueChangedEvent(device.DataReadyPin, onEdge);
        }
    }
}
