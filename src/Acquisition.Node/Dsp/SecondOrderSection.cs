namespace Eeg.Acquisition.Dsp;

/// <summary>
/// One biquad, normalised so that a0 = 1: one row of scipy's <c>sos</c> array
/// <c>[b0, b1, b2, 1, a1, a2]</c>, applied in direct form II transposed like <c>scipy.signal.sosfilt</c>.
/// </summary>
public readonly record struct SecondOrderSection(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>The row as scipy prints it: b0, b1, b2, a0 (always 1), a1, a2.</summary>
    public double[] ToScipyRow() => new[] { B0, B1, B2, 1.0, A1, A2 };
}
