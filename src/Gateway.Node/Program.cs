namespace Eeg.Gateway;

/// <summary>Entry point of the Gateway role run on its own (see docs and deploy/).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("The gateway role on its own arrives with the multi-node issue; run src/Acquisition.Node for all roles in one process.");
        return 2;
    }
}
