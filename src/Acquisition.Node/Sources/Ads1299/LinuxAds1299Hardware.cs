using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.Spi;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// /dev/spidevB.C and /dev/gpiochipN through System.Device.Gpio. Whatever is missing (the device
/// nodes, libgpiod, permissions) is reported in one line that says how to enable it.
/// </summary>
public sealed class LinuxAds1299Hardware : IAds1299Hardware
{
    public static LinuxAds1299Hardware Instance { get; } = new("/dev");

    private readonly string _dev;

    /// <param name="devDirectory">Where the device nodes are: /dev (tests point it elsewhere).</param>
    internal LinuxAds1299Hardware(string devDirectory) => _dev = devDirectory;

    private const string SpiHint = "enable SPI (sudo raspi-config, Interface Options, SPI; or dtparam=spi=on in /boot/firmware/config.txt) and reboot";

    public Ads1299Buses Open(Ads1299Settings settings, int chips)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new ConfigException("pipeline.source = \"ads1299\" needs Linux with SPI and GPIO (a Raspberry Pi); use simulated or replay here");
        }
        var data = new List<SpiDevice>();
        var control = new List<SpiDevice>();
        GpioController? gpio = null;
        try
        {
            foreach (int cs in settings.ChipSelects)
            {
                string node = $"{_dev}/spidev{settings.SpiBus}.{cs}";
                if (!File.Exists(node))
                {
                    throw new ConfigException(cs == 0
                        ? $"pipeline.source = \"ads1299\" needs {node}, which does not exist: {SpiHint}"
                        : $"pipeline.ads1299.chip-selects needs {node}, which does not exist: {SpiHint}; for chip select {cs} add dtoverlay=spi{settings.SpiBus}-2cs (see deploy/ads1299-wiring.md)");
                }
                data.Add(OpenSpi(node, settings.SpiBus, cs, settings.ClockHz));
                control.Add(OpenSpi(node, settings.SpiBus, cs, Math.Min(settings.ClockHz, 4_000_000)));
            }
            gpio = OpenGpio(_dev, settings.GpioChip);
            if (!gpio.IsPinModeSupported(settings.DrdyPin, PinMode.Input))
            {
                throw ConfigException.Invalid("pipeline.ads1299.drdy-pin", settings.DrdyPin, $"a pin of /dev/gpiochip{settings.GpioChip} that can be an input");
            }
            return new Ads1299Buses(data, control, gpio);
        }
        catch
        {
            foreach (SpiDevice d in data.Concat(control)) d.Dispose();
            gpio?.Dispose();
            throw;
        }
    }

    private static SpiDevice OpenSpi(string node, int bus, int cs, int clockHz)
    {
        try
        {
            return SpiDevice.Create(new SpiConnectionSettings(bus, cs)
            {
                Mode = SpiMode.Mode1, // CPOL 0, CPHA 1: the ADS1299 shifts out on the rising edge and latches on the falling edge
                ClockFrequency = clockHz,
                DataBitLength = 8,
            });
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigException($"{node} cannot be opened (permission denied): add the user to the spi group (sudo usermod -aG spi,gpio $USER) and log in again");
        }
        catch (IOException ex)
        {
            throw new ConfigException($"{node} cannot be opened: {ex.Message}; {SpiHint}");
        }
    }

    private static GpioController OpenGpio(string dev, int chip)
    {
        string node = $"{dev}/gpiochip{chip}";
        if (!File.Exists(node))
        {
            throw new ConfigException($"pipeline.ads1299.gpio-chip = {chip}: {node} does not exist; list the chips with 'ls /dev/gpiochip*' (older Pi 5 kernels use 4)");
        }
        try
        {
            return new GpioController(new LibGpiodDriver(chip));
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or PlatformNotSupportedException)
        {
            throw new ConfigException($"{node} needs libgpiod, which is not installed: sudo apt install libgpiod2 (Debian 12) or libgpiod3 (Debian 13)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigException($"{node} cannot be opened (permission denied): add the user to the gpio group (sudo usermod -aG gpio $USER) and log in again");
        }
        catch (IOException ex)
        {
            throw new ConfigException($"{node} cannot be opened: {ex.Message}");
        }
    }
}
