using System.Runtime.CompilerServices;

namespace Eeg.Tests.EndToEnd.Control;

/// <summary>
/// Every node these tests start gets a known control token (EEG_CONTROL_TOKEN), so no test reads or
/// writes the user's ~/.config/eeg/control-token; a test that sets gateway.control-token itself wins.
/// </summary>
internal static class TestControlToken
{
    public const string Value = "end-to-end-tests-control-token";

    [ModuleInitializer]
    internal static void Set() => Environment.SetEnvironmentVariable("EEG_CONTROL_TOKEN", Value);
}
