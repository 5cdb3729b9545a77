namespace Eeg.Gateway.ClusterConsole;

/// <summary>Where the console writes and what it runs in: the real terminal, or writers in a test.</summary>
/// <param name="Interactive">Stdout is a terminal: the live view redraws in place with colours.</param>
/// <param name="KeysAvailable">Stdin is a terminal: q quits the live view.</param>
/// <param name="Width">Columns of plain output.</param>
/// <param name="Environment">Reads an environment variable.</param>
public sealed record ConsoleIo(TextWriter Out, TextWriter Error, bool Interactive, bool KeysAvailable, int Width, Func<string, string?> Environment)
{
    /// <summary>The process's own console and environment.</summary>
    public static ConsoleIo FromProcess()
    {
        bool interactive = !System.Console.IsOutputRedirected;
        int width = 200;
        if (int.TryParse(System.Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 40) width = columns;
        else if (interactive)
        {
            try { width = Math.Max(80, System.Console.WindowWidth); }
            catch (IOException) { }
        }
        return new ConsoleIo(System.Console.Out, System.Console.Error, interactive, !System.Console.IsInputRedirected, width, System.Environment.GetEnvironmentVariable);
    }
}
