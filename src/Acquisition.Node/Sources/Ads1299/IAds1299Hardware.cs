using System.Device.Gpio;
using System.Device.Spi;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>The buses the chips hang on, opened per chip select.</summary>
/// <param name="Data">Data devices at pipeline.ads1299.clock-hz: one (daisy) or one per chip.</param>
/// <param name="Control">Devices on the same chip selects for register traffic, at most <see cref="Ads1299.MaxRegisterClockHz"/>.</param>
/// <param name="Gpio">The controller of the DRDY, START, RESET, PWDN and trigger pins.</param>
public sealed record Ads1299Buses(IReadOnlyList<SpiDevice> Data, IReadOnlyList<SpiDevice> Control, GpioController Gpio);

/// <summary>Opens the SPI devices and GPIO controller (the real ones on a Pi; emulated ones in tests).</summary>
public interface IAds1299Hardware
{
    /// <summary>Opens what the settings name; throws <see cref="ConfigException"/> with one line when something is missing.</summary>
    Ads1299Buses Open(Ads1299Settings settings, int chips);
}
