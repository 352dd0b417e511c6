using System.Runtime.CompilerServices;

namespace Nexus.PowerShell.Loading;

/// <summary>
/// Registers the resolver as soon as the runtime runs any code of this assembly, in case the
/// engine touches a cmdlet type (and so Nexus.Core) before it calls the module initializer.
/// </summary>
internal static class EarlyRegistration
{
#pragma warning disable CA2255 // a module initializer is exactly what this needs
    [ModuleInitializer]
    internal static void Register() => ModuleInitializer.EnsureRegistered();
#pragma warning restore CA2255
}
