using System.Numerics;

namespace Eeg.Acquisition.Dsp;

/// <summary>
/// scipy.signal.zpk2sos(z, p, k, pairing='nearest') for digital filters, line by line (scipy 1.10,
/// signal/_filter_design.py), so that our sections equal scipy's coefficient for coefficient and in
/// the same order: the poles closest to the unit circle go to the last section, each pole pair takes
/// its nearest zeros, and the gain goes into the first section. Matching scipy's order matters because
/// a cascade's rounding and its intermediate signal levels depend on it, and because the reference
/// vectors compare sections one by one.
/// </summary>
internal static class ZpkToSos
{
    // scipy's _cplxreal: tol = 100 * eps of float64.
    private const double Tolerance = 100 * 2.220446049250313e-16;

    public static SecondOrderSection[] Convert(IReadOnlyList<Complex> zeros, IReadOnlyList<Complex> poles, double gain)
    {
        if (zeros.Count == 0 && poles.Count == 0)
            return new[] { new SecondOrderSection(gain, 0, 0, 0, 0) };

        var p = new List<Complex>(poles);
        var z = new List<Complex>(zeros);
        while (p.Count < z.Count) p.Add(Complex.Zero);
        while (z.Count < p.Count) z.Add(Complex.Zero);
        int sectionCount = (Math.Max(p.Count, z.Count) + 1) / 2;
        if (p.Count % 2 == 1)
        {
            // 'nearest' pairing: an odd count gets a pole and a zero at the origin.
            p.Add(Complex.Zero);
            z.Add(Complex.Zero);
        }

        z = ComplexThenReal(z);
        p = ComplexThenReal(p);

        var rows = new double[sectionCount][];
        for (int si = sectionCount - 1; si >= 0; si--)
        {
            int p1Index = IndexClosestToUnitCircle(p, all: null);
            Complex p1 = p[p1Index];
            p.RemoveAt(p1Index);

            if (IsReal(p1) && CountReal(p) == 0)
            {
                // Special case (1): the last remaining real pole.
                int z1Index = NearestIndex(z, p1, Which.Real);
                Complex z1 = z[z1Index];
                z.RemoveAt(z1Index);
                rows[si] = SingleSection(new[] { z1, Complex.Zero }, new[] { p1, Complex.Zero });
            }
            else if (p.Count + 1 == z.Count && !IsReal(p1) && CountReal(p) == 1 && CountReal(z) == 1)
            {
                // Special case (2): one real pole and one real zero left; this pole must take a complex zero.
                int z1Index = NearestIndex(z, p1, Which.Complex);
                Complex z1 = z[z1Index];
                z.RemoveAt(z1Index);
                rows[si] = SingleSection(new[] { z1, Complex.Conjugate(z1) }, new[] { p1, Complex.Conjugate(p1) });
            }
            else
            {
                Complex p2;
                if (IsReal(p1))
                {
                    var realIndices = new List<int>();
                    for (int i = 0; i < p.Count; i++) if (IsReal(p[i])) realIndices.Add(i);
                    int p2Index = realIndices[IndexClosestToUnitCircle(p, realIndices)];
                    p2 = p[p2Index];
                    p.RemoveAt(p2Index);
                }
                else
                {
                    p2 = Complex.Conjugate(p1);
                }

                if (z.Count > 0)
                {
                    int z1Index = NearestIndex(z, p1, Which.Any);
                    Complex z1 = z[z1Index];
                    z.RemoveAt(z1Index);
                    if (!IsReal(z1))
                    {
                        rows[si] = SingleSection(new[] { z1, Complex.Conjugate(z1) }, new[] { p1, p2 });
                    }
                    else if (z.Count > 0)
                    {
                        int z2Index = NearestIndex(z, p1, Which.Real);
                        Complex z2 = z[z2Index];
                        z.RemoveAt(z2Index);
                        rows[si] = SingleSection(new[] { z1, z2 }, new[] { p1, p2 });
                    }
                    else
                    {
                        rows[si] = SingleSection(new[] { z1 }, new[] { p1, p2 });
                    }
                }
                else
                {
                    rows[si] = SingleSection(Array.Empty<Complex>(), new[] { p1, p2 });
                }
            }
        }

        if (p.Count != 0 || z.Count != 0)
            throw new InvalidOperationException("zpk2sos left poles or zeros unpaired.");

        rows[0][0] *= gain;
        rows[0][1] *= gain;
        rows[0][2] *= gain;

        var sections = new SecondOrderSection[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            double[] r = rows[i];
            // 'nearest' pairing always gives two poles per section, so a0 is exactly 1.
            if (r[3] != 1.0) throw new InvalidOperationException("zpk2sos produced a section with a0 != 1.");
            sections[i] = new SecondOrderSection(r[0], r[1], r[2], r[4], r[5]);
        }
        return sections;
    }

    private enum Which { Real, Complex, Any }

    // numpy.isreal: the imaginary part is exactly zero.
    private static bool IsReal(Complex c) => c.Imaginary == 0.0;

    private static int CountReal(List<Complex> values)
    {
        int n = 0;
        foreach (var v in values) if (IsReal(v)) n++;
        return n;
    }

    // Digital "worst" pole: argmin |1 - |p||, first index on ties (numpy.argmin).
    private static int IndexClosestToUnitCircle(List<Complex> p, List<int>? all)
    {
        int count = all?.Count ?? p.Count;
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < count; i++)
        {
            Complex v = p[all is null ? i : all[i]];
            double d = Math.Abs(1.0 - Complex.Abs(v));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    // _nearest_real_complex_idx: the closest element (by |fro - to|) that is real, complex or either.
    private static int NearestIndex(List<Complex> from, Complex to, Which which)
    {
        int[] order = Enumerable.Range(0, from.Count).OrderBy(i => Complex.Abs(from[i] - to)).ToArray();
        foreach (int i in order)
        {
            bool real = IsReal(from[i]);
            if (which == Which.Any || (which == Which.Real && real) || (which == Which.Complex && !real)) return i;
        }
        throw new InvalidOperationException($"zpk2sos found no {which} zero to pair with a pole.");
    }

    /// <summary>
    /// scipy's _cplxreal followed by concatenate: one element (positive imaginary part, averaged with its
    /// conjugate) of each complex pair, sorted by real part, then the real values, sorted.
    /// </summary>
    private static List<Complex> ComplexThenReal(List<Complex> values)
    {
        if (values.Count == 0) return new List<Complex>();
        // numpy.lexsort((abs(z.imag), z.real)): by real part, then by |imag|; stable.
        var sorted = values.OrderBy(v => v.Real).ThenBy(v => Math.Abs(v.Imaginary)).ToList();

        var reals = new List<Complex>();
        var positive = new List<Complex>();
        var negative = new List<Complex>();
        foreach (var v in sorted)
        {
            if (Math.Abs(v.Imaginary) <= Tolerance * Complex.Abs(v)) reals.Add(new Complex(v.Real, 0));
            else if (v.Imaginary > 0) positive.Add(v);
            else negative.Add(v);
        }
        if (positive.Count != negative.Count)
            throw new ArgumentException("Array contains complex value with no matching conjugate.");

        // Runs of (almost) the same real part are sorted by |imag| so that conjugates line up.
        int start = 0;
        while (start < positive.Count)
        {
            int stop = start;
            while (stop + 1 < positive.Count && positive[stop + 1].Real - positive[stop].Real <= Tolerance * Complex.Abs(positive[stop])) stop++;
            if (stop > start)
            {
                SortRunByImaginary(positive, start, stop);
                SortRunByImaginary(negative, start, stop);
            }
            start = stop + 1;
        }

        var result = new List<Complex>(positive.Count + reals.Count);
        for (int i = 0; i < positive.Count; i++)
        {
            if (Complex.Abs(positive[i] - Complex.Conjugate(negative[i])) > Tolerance * Complex.Abs(negative[i]))
                throw new ArgumentException("Array contains complex value with no matching conjugate.");
            result.Add((positive[i] + Complex.Conjugate(negative[i])) / 2.0);
        }
        result.AddRange(reals);
        return result;
    }

    private static void SortRunByImaginary(List<Complex> list, int start, int stop)
    {
        var run = list.GetRange(start, stop - start + 1).OrderBy(v => Math.Abs(v.Imaginary)).ToList();
        for (int i = 0; i < run.Count; i++) list[start + i] = run[i];
    }

    // _single_zpksos: b = poly(z), a = poly(p), right-aligned in the 3 + 3 coefficient slots.
    private static double[] SingleSection(Complex[] zeros, Complex[] poles)
    {
        var row = new double[6];
        double[] b = Poly(zeros);
        double[] a = Poly(poles);
        Array.Copy(b, 0, row, 3 - b.Length, b.Length);
        Array.Copy(a, 0, row, 6 - a.Length, a.Length);
        return row;
    }

    // numpy.poly: convolve [1] with [1, -r] for each root; conjugate pairs and reals give a real result.
    private static double[] Poly(Complex[] roots)
    {
        var a = new Complex[] { Complex.One };
        foreach (var r in roots)
        {
            var next = new Complex[a.Length + 1];
            for (int n = 0; n < next.Length; n++)
            {
                Complex sum = Complex.Zero;
                if (n < a.Length) sum += a[n];
                if (n >= 1) sum += a[n - 1] * -r;
                next[n] = sum;
            }
            a = next;
        }
        var real = new double[a.Length];
        for (int i = 0; i < a.Length; i++) real[i] = a[i].Real;
        return real;
    }
}
