using System.Diagnostics;

namespace Eeg.Tests.Processing.Node.CrossCheck;

/// <summary>
/// Runs the independent readers (MNE-Python, EDFlib) on our files. A missing tool fails the test with
/// the Debian package to install: CI must have them (.ci/run installs them), so a skip would hide a gap.
/// </summary>
internal static class CrossCheckTools
{
    private static readonly Lazy<string> EdflibChecker = new(BuildEdflibChecker);

    /// <summary>The folder holding mne_check.py and edflib_check.c in the source tree.</summary>
    public static string ScriptDirectory
    {
        get
        {
            for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "tests", "Processing.Node.Tests", "CrossCheck");
                if (File.Exists(Path.Combine(candidate, "mne_check.py"))) return candidate;
            }
            throw new InvalidOperationException("tests/Processing.Node.Tests/CrossCheck not found above " + AppContext.BaseDirectory);
        }
    }

    public static (int Exit, string Output) RunMne(string bdf, string expectedJson)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Fail("/usr/bin/python3 is missing: install the Debian packages python3 and python3-mne (apt-get install -y python3-mne)");
        var probe = Run(python, "-c \"import mne\"");
        if (probe.Exit != 0) Assert.Fail("MNE-Python is not importable by /usr/bin/python3: install the Debian package python3-mne (apt-get install -y python3-mne). " + probe.Output);
        return Run(python, $"\"{Path.Combine(ScriptDirectory, "mne_check.py")}\" \"{bdf}\" \"{expectedJson}\"");
    }

    public static (int Exit, string Output) RunEdflib(string bdf) => Run(EdflibChecker.Value, $"\"{bdf}\"");

    private static string BuildEdflibChecker()
    {
        if (!File.Exists("/usr/include/edflib.h")) Assert.Fail("edflib.h is missing: install the Debian package libedf-dev (apt-get install -y libedf-dev)");
        string output = Path.Combine(Path.GetTempPath(), $"edflib_check_{Environment.ProcessId}");
        var (exit, text) = Run("gcc", $"-O1 -o \"{output}\" \"{Path.Combine(ScriptDirectory, "edflib_check.c")}\" -ledf");
        if (exit != 0) Assert.Fail($"compiling edflib_check.c against libedf failed (install gcc and libedf-dev): {text}");
        return output;
    }

    public static (int Exit, string Output) Run(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"{file} could not be started ({e.Message}): install it (gcc, python3-mne, libedf-dev are Debian packages)");
            throw;
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(300_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{file} {arguments} did not finish in 300 s");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
