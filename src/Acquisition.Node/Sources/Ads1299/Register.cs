namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// The ADS1299's registers (datasheet SBAS499, register map). Reset values in brackets; the
/// read-only ones are marked RO.
/// </summary>
public enum Register : byte
{
    /// <summary>[xx, RO] REV_ID[7:5], 1, DEV_ID[3:2] = 11, NU_CH[1:0] (10 = 8 channels): 0x3E on current silicon.</summary>
    Id = 0x00,
    /// <summary>[0x96] 1, DAISY_EN (0 = daisy-chain, 1 = multiple readback), CLK_EN, 1, 0, DR[2:0] (000 = 16 kSPS ... 110 = 250 SPS).</summary>
    Config1 = 0x01,
    /// <summary>[0xC0] 110, INT_CAL (test signal generated inside), 0, CAL_AMP0, CAL_FREQ[1:0] (00 = fCLK/2^21, 01 = fCLK/2^20, 11 = DC).</summary>
    Config2 = 0x02,
    /// <summary>[0x60] PD_REFBUF, 11, BIAS_MEAS, BIASREF_INT, PD_BIAS, BIAS_LOFF_SENS, BIAS_STAT (RO).</summary>
    Config3 = 0x03,
    /// <summary>[0x00] COMP_TH[7:5], 0, ILEAD_OFF[3:2] (6 nA, 24 nA, 6 uA, 24 uA), FLEAD_OFF[1:0] (DC, 7.8 Hz, 31.2 Hz, fDR/4).</summary>
    Loff = 0x04,
    /// <summary>[0x61] PD1, GAIN1[6:4], SRB2, MUX1[2:0]; CH2SET..CH8SET follow.</summary>
    Ch1Set = 0x05,
    Ch2Set = 0x06,
    Ch3Set = 0x07,
    Ch4Set = 0x08,
    Ch5Set = 0x09,
    Ch6Set = 0x0A,
    Ch7Set = 0x0B,
    Ch8Set = 0x0C,
    /// <summary>[0x00] Channel P inputs routed into the bias derivation, bit n = channel n+1.</summary>
    BiasSensP = 0x0D,
    /// <summary>[0x00] Channel N inputs routed into the bias derivation.</summary>
    BiasSensN = 0x0E,
    /// <summary>[0x00] P inputs with lead-off detection (and excitation current).</summary>
    LoffSensP = 0x0F,
    /// <summary>[0x00] N inputs with lead-off detection.</summary>
    LoffSensN = 0x10,
    /// <summary>[0x00] Lead-off current direction per channel.</summary>
    LoffFlip = 0x11,
    /// <summary>[0x00, RO] Lead-off status of the P inputs (also in every status word).</summary>
    LoffStatP = 0x12,
    /// <summary>[0x00, RO] Lead-off status of the N inputs (also in every status word).</summary>
    LoffStatN = 0x13,
    /// <summary>[0x0F] GPIOD[7:4] (data, in every status word), GPIOC[3:0] (1 = input).</summary>
    Gpio = 0x14,
    /// <summary>[0x00] Bit 5 SRB1: every N input tied to SRB1 (common reference).</summary>
    Misc1 = 0x15,
    /// <summary>[0x00] Reserved.</summary>
    Misc2 = 0x16,
    /// <summary>[0x00] Bit 3 SINGLE_SHOT, bit 1 PD_LOFF_COMP (lead-off comparators on).</summary>
    Config4 = 0x17,
}
