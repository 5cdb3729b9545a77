using System.Reflection;
using System.Runtime.Loader;

namespace Eeg.Processing.Stages;

/// <summary>
/// Loads one stage assembly from the stage directory. Any assembly the host itself can load
/// (Shared.Messages above all, and the framework, Akka ...) is taken from the host, so the stage's
/// <c>IStage</c> and <c>FrameView</c> are the host's own types; only the stage's private dependencies
/// come from its folder.
/// </summary>
/// <remarks>
/// Sharing is the whole point: were Shared.Messages loaded twice, the host would see a different
/// <c>IStage</c> type and the cast would fail. Not collectible: stages live as long as the node.
/// </remarks>
internal sealed class StageLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public StageLoadContext(string assemblyPath) : base($"stage:{Path.GetFileName(assemblyPath)}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (HostHas(assemblyName)) return null; // null: the default context (the host's copy) answers
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>True when the host already has (or can load) an assembly of that name.</summary>
    public static bool HostHas(AssemblyName name)
    {
        if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName()))) return true;
        try
        {
            Default.LoadFromAssemblyName(name);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return false;
        }
    }
}
