using System.Text.Json;
using Eeg.Acquisition.Dsp;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Acquisition.Node.Dsp;

/// <summary>The scipy reference vectors written by Dsp/vectors/make_vectors.py (copied next to the test assembly).</summary>
internal static class ReferenceVectors
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Dsp", "vectors");

    public sealed record SosSet(string Name, string Kind, int Order, double CutoffHz, double FrequencyHz, double Q, int Harmonics, int SampleRate, double[][] Sos);

    public sealed record Cascade(int SampleRate, int Channels, int Samples, DspSettings Settings, double[][] Sos, double[][] Zi, double[][] Input, double[][] Output)
    {
        /// <summary>The input as the chain sees it: float32 microvolts, sample-major.</summary>
        public float[] InputSampleMajor()
        {
            var data = new float[Samples * Channels];
            for (int s = 0; s < Samples; s++)
                for (int c = 0; c < Channels; c++)
                    data[s * Channels + c] = (float)Input[c][s];
            return data;
        }
    }

    private static readonly Lazy<IReadOnlyList<SosSet>> Sets = new(LoadSets);

    public static IReadOnlyList<SosSet> SosSets => Sets.Value;

    public static IEnumerable<object[]> SosSetNames() => SosSets.Select(s => new object[] { s.Name });

    public static Cascade LoadCascade(int sampleRate)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, $"cascade_fs{sampleRate}.json")));
        var root = doc.RootElement;
        var st = root.GetProperty("settings");
        var settings = DspSettings.Default with
        {
            HighpassHz = st.GetProperty("highpass_hz").GetDouble(),
            HighpassOrder = st.GetProperty("highpass_order").GetInt32(),
            NotchHz = st.GetProperty("notch_hz").GetDouble(),
            NotchQ = st.GetProperty("notch_q").GetDouble(),
            NotchHarmonics = st.GetProperty("notch_harmonics").GetInt32(),
            LowpassHz = st.GetProperty("lowpass_hz").GetDouble(),
            LowpassOrder = st.GetProperty("lowpass_order").GetInt32(),
        };
        return new Cascade(
            root.GetProperty("fs").GetInt32(), root.GetProperty("channels").GetInt32(), root.GetProperty("samples").GetInt32(),
            settings, Matrix(root.GetProperty("sos")), Matrix(root.GetProperty("zi")),
            Matrix(root.GetProperty("input")), Matrix(root.GetProperty("output")));
    }

    private static IReadOnlyList<SosSet> LoadSets()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "sos_sets.json")));
        var list = new List<SosSet>();
        foreach (var e in doc.RootElement.GetProperty("sets").EnumerateArray())
        {
            string kind = e.GetProperty("kind").GetString()!;
            int fs = e.GetProperty("fs").GetInt32();
            double[][] sos = Matrix(e.GetProperty("sos"));
            if (kind == "notch")
            {
                double f0 = e.GetProperty("frequency_hz").GetDouble(), q = e.GetProperty("q").GetDouble();
                int h = e.GetProperty("harmonics").GetInt32();
                list.Add(new SosSet($"notch {f0} Hz Q {q} x{h} at {fs}", kind, 0, 0, f0, q, h, fs, sos));
            }
            else
            {
                int order = e.GetProperty("order").GetInt32();
                double cutoff = e.GetProperty("cutoff_hz").GetDouble();
                list.Add(new SosSet($"{kind} {cutoff} Hz order {order} at {fs}", kind, order, cutoff, 0, 0, 0, fs, sos));
            }
        }
        return list;
    }

    private static double[][] Matrix(JsonElement e) =>
        e.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>Our design for a reference set, as scipy rows.</summary>
    public static double[][] Design(SosSet set)
    {
        IEnumerable<SecondOrderSection> sections = set.Kind switch
        {
            "highpass" => Butterworth.Design(PassBand.Highpass, set.Order, set.CutoffHz, set.SampleRate),
            "lowpass" => Butterworth.Design(PassBand.Lowpass, set.Order, set.CutoffHz, set.SampleRate),
            "notch" => Enumerable.Range(1, set.Harmonics)
                .Select(k => k * set.FrequencyHz)
                .Where(f => f < set.SampleRate / 2.0)
                .Select(f => Notch.Design(f, set.Q, set.SampleRate)),
            _ => throw new InvalidOperationException(set.Kind),
        };
        return sections.Select(s => s.ToScipyRow()).ToArray();
    }
}
