namespace Eeg.Shared.Frames;

/// <summary>Per-frame flags. The low two bits are the WebSocket wire format's flags (docs/protocol.md).</summary>
[Flags]
public enum FrameFlags : uint
{
    None = 0,
    /// <summary>Samples were lost right before this frame: its first sample index jumps.</summary>
    Gap = 1 << 0,
    /// <summary>The frame carries at least one trigger event.</summary>
    Triggers = 1 << 1,
    /// <summary>At least one sample had a corrupt status word (ADS1299: not 1100 in the top nibble).</summary>
    Corrupt = 1 << 2,
    /// <summary>At least one electrode reported lead-off during the frame.</summary>
    LeadOff = 1 << 3,
}
