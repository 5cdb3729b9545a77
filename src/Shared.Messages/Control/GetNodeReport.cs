namespace Eeg.Shared.Control;

/// <summary>Asks a node's agent (<c>/user/node-agent</c>) for a <see cref="NodeReport"/>.</summary>
public sealed record GetNodeReport
{
    public static GetNodeReport Instance { get; } = new();
    private GetNodeReport() { }
}
