namespace Eeg.Shared.Frames;

/// <summary>Where a trigger came from.</summary>
public enum TriggerSource : byte
{
    /// <summary>A GPIO input pin of the host (stimulus PC's TTL line).</summary>
    HostPin = 0,
    /// <summary>The ADS1299's own GPIO bits in the status word.</summary>
    AmplifierGpio = 1,
    /// <summary>A marker sent by a user or a stage.</summary>
    Marker = 2,
}

/// <summary>A stimulus marker aligned to a sample. A value type so that a frame holds them without allocating.</summary>
/// <param name="SampleIndex">Index (since stream start) of the sample at which the trigger occurred.</param>
/// <param name="Code">The trigger's code (pin level pattern, GPIO bits or marker number).</param>
/// <param name="Source">Where it came from.</param>
public readonly record struct TriggerEvent(long SampleIndex, int Code, TriggerSource Source);
