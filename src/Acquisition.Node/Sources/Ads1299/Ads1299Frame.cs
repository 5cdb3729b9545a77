using System.Runtime.CompilerServices;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// What one chip clocks out after each DRDY in Read Data Continuous mode: 216 bits, MSB first.
/// <code>
///  byte  0          1          2          3    4    5     6    7    8    ...  24   25   26
///       ┌──────────┬──────────┬──────────┬──────────────┬──────────────┬─────┬──────────────┐
///       │1100 PPPP │PPPP NNNN │NNNN GGGG │ channel 1    │ channel 2    │ ... │ channel 8    │
///       └──────────┴──────────┴──────────┴──────────────┴──────────────┴─────┴──────────────┘
///        status word (24 bits)            24-bit two's complement each, MSB first
///        1100 = sync nibble; PPPP PPPP = LOFF_STATP (IN8P..IN1P off); NNNN NNNN = LOFF_STATN;
///        GGGG = GPIO register bits 7:4 (the levels of GPIO4..GPIO1)
/// </code>
/// Daisy-chained, the first chip (whose DOUT the host reads) comes first and the others follow it
/// through DAISY_IN: 27 bytes per chip, 108 for four chips, channels 1-8 from the first.
/// </summary>
public static class Ads1299Frame
{
    /// <summary>Bytes per chip per DRDY: a 3-byte status word and 8 channels of 3 bytes.</summary>
    public const int BytesPerChip = 27;

    /// <summary>Channels per chip.</summary>
    public const int ChannelsPerChip = 8;

    /// <summary>Bits per chip per DRDY (the datasheet's N_BITS x N_CHANNELS + 24).</summary>
    public const int BitsPerChip = BytesPerChip * 8;

    /// <summary>What the status words of one DRDY say, all chips together.</summary>
    public struct Status
    {
        /// <summary>Bit k set: chip k's status word did not start with 1100 (its counts are not trusted).</summary>
        public uint CorruptChips;
        /// <summary>LOFF_STATP of every chip, chip k in bits 8k..8k+7 (bit = channel off).</summary>
        public uint LeadOffPositive;
        /// <summary>LOFF_STATN of every chip, same layout.</summary>
        public uint LeadOffNegative;
        /// <summary>The first chip's GPIO4..GPIO1 levels (the amplifier's own trigger input).</summary>
        public int Gpio;
    }

    /// <summary>
    /// A 24-bit two's complement value, MSB first, as an int: 0x7FFFFF = 8388607, 0x800000 = -8388608,
    /// 0xFFFFFF = -1. The three bytes go to the top of the int and an arithmetic shift brings the sign
    /// down: no branch on the sign bit, whose outcome is random for EEG and would mispredict half the time.
    /// Costs nothing over the branchy form (two shifts instead of a compare and an or). Not measured
    /// yet: an Ads1299Frame.Decode micro-benchmark in bench/ (32 channels per call) would show it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SignExtend24(byte msb, byte mid, byte lsb) => ((msb << 24) | (mid << 16) | (lsb << 8)) >> 8;

    /// <summary>
    /// Decodes <paramref name="chips"/> chips' bytes into counts (8 per chip, chip 0's first) and the
    /// status. Never throws on bad data: a corrupt status word is reported, the counts are decoded anyway.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> frame, int chips, Span<int> counts, out Status status)
    {
        status = default;
        for (int chip = 0; chip < chips; chip++)
        {
            ReadOnlySpan<byte> b = frame.Slice(chip * BytesPerChip, BytesPerChip);
            // (b0 & F0) ^ C0 is 0 exactly when the sync nibble is 1100; folded into a bit without a branch.
            uint bad = (uint)((b[0] & 0xF0) ^ 0xC0);
            status.CorruptChips |= ((bad | (0u - bad)) >> 31) << chip;
            int shift = chip * ChannelsPerChip;
            status.LeadOffPositive |= (uint)(((b[0] & 0x0F) << 4) | (b[1] >> 4)) << shift;
            status.LeadOffNegative |= (uint)(((b[1] & 0x0F) << 4) | (b[2] >> 4)) << shift;
            Span<int> chipCounts = counts.Slice(chip * ChannelsPerChip, ChannelsPerChip);
            for (int c = 0; c < ChannelsPerChip; c++)
            {
                int o = 3 + 3 * c;
                chipCounts[c] = SignExtend24(b[o], b[o + 1], b[o + 2]);
            }
        }
        status.Gpio = frame[2] & 0x0F;
    }
}
