using System.Text.RegularExpressions;
using Eeg.Processing.Recording;

namespace Eeg.Tests.MultiNode.MultiProcess;

/// <summary>What VerifyCommand says of one recording.</summary>
internal sealed record VerifiedRecording(string Path, int ExitCode, long FirstIndex, long LastIndex, int Gaps, string Report)
{
    public static VerifiedRecording Of(string path)
    {
        var output = new StringWriter();
        int code = VerifyCommand.Run(path, checkPattern: true, output, output);
        string report = output.ToString();
        Match samples = Regex.Match(report, @"first index (-?\d+), last index (-?\d+)");
        Match gaps = Regex.Match(report, @"^gaps: (\d+)", RegexOptions.Multiline);
        return new VerifiedRecording(path, code,
            samples.Success ? long.Parse(samples.Groups[1].Value) : -1,
            samples.Success ? long.Parse(samples.Groups[2].Value) : -1,
            gaps.Success ? int.Parse(gaps.Groups[1].Value) : -1,
            report);
    }

    public static IReadOnlyList<VerifiedRecording> In(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.bdf").Select(Of).OrderBy(r => r.FirstIndex).ToArray()
            : [];
}
