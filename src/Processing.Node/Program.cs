namespace Eeg.Processing;

/// <summary>Entry point of the Processing role run on its own (see docs and deploy/).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("The processing role on its own arrives with the multi-node issue; run src/Acquisition.Node for all roles in one process.");
        return 2;
    }
}
