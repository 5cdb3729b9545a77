using System.Device.Spi;

namespace Eeg.Tests.Acquisition.Node.Ads1299.Emulation;

/// <summary>
/// One chip select of the emulated bus: every transfer (CS low for its whole length) goes to the
/// board byte by byte, as SCLK would clock it. Allocates nothing per transfer unless the board records.
/// </summary>
public sealed class FakeSpiDevice : SpiDevice
{
    private readonly EmulatedBoard _board;
    private readonly SpiConnectionSettings _settings;

    public FakeSpiDevice(EmulatedBoard board, SpiConnectionSettings settings)
    {
        _board = board;
        _settings = settings;
    }

    public override SpiConnectionSettings ConnectionSettings => _settings;

    public bool Disposed { get; private set; }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length) throw new ArgumentException("buffers of different lengths");
        _board.Transfer(_settings.ChipSelectLine, _settings.ClockFrequency, writeBuffer, readBuffer);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Span<byte> ignored = buffer.Length <= 256 ? stackalloc byte[buffer.Length] : new byte[buffer.Length];
        _board.Transfer(_settings.ChipSelectLine, _settings.ClockFrequency, buffer, ignored);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Read(Span<byte> buffer)
    {
        Span<byte> zeros = buffer.Length <= 256 ? stackalloc byte[buffer.Length] : new byte[buffer.Length];
        zeros.Clear();
        _board.Transfer(_settings.ChipSelectLine, _settings.ClockFrequency, zeros, buffer);
    }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
