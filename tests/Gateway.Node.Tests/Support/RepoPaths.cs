namespace Eeg.Tests.Gateway.Node.Support;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding hocon/reference.conf), found from the test's output folder.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "hocon", "reference.conf"))) return dir.FullName;
            }
            throw new InvalidOperationException("hocon/reference.conf not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ReferenceConf => Path.Combine(Root, "hocon", "reference.conf");
}
