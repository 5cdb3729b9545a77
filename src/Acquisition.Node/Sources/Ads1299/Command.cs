namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// SPI command opcodes (datasheet, SPI command definitions). RREG and WREG carry the register
/// address in their low five bits and are followed by a byte holding the register count minus one.
/// </summary>
public enum Command : byte
{
    /// <summary>Wake up from standby.</summary>
    Wakeup = 0x02,
    /// <summary>Enter standby.</summary>
    Standby = 0x04,
    /// <summary>Reset the device: registers to their reset values, Read Data Continuous mode.</summary>
    Reset = 0x06,
    /// <summary>Start (or restart) conversions; used when the START pin is not wired.</summary>
    Start = 0x08,
    /// <summary>Stop conversions.</summary>
    Stop = 0x0A,
    /// <summary>Read Data Continuous: every DRDY's data is clocked out without a command (the power-up mode).</summary>
    ReadDataContinuous = 0x10,
    /// <summary>Stop Read Data Continuous: needed before any register access.</summary>
    StopReadDataContinuous = 0x11,
    /// <summary>Read the latest conversion by command (outside Read Data Continuous).</summary>
    ReadData = 0x12,
    /// <summary>Read registers: 001r rrrr, then 000n nnnn (count - 1).</summary>
    ReadRegister = 0x20,
    /// <summary>Write registers: 010r rrrr, then 000n nnnn (count - 1), then the values.</summary>
    WriteRegister = 0x40,
}
