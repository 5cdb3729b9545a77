namespace Eeg.Shared.Control;

/// <summary>
/// Turns the amplifier's impedance check on or off. Answered with <see cref="ImpedanceCheckSwitched"/>,
/// or <see cref="ControlRefused"/> (Conflict) when the source has no impedance check.
/// </summary>
public sealed record SwitchImpedanceCheck(bool On);

/// <summary>The impedance check's state after a <see cref="SwitchImpedanceCheck"/>.</summary>
public sealed record ImpedanceCheckSwitched(bool ImpedanceCheck);
