using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Nexus.PowerShell.Loading;

/// <summary>
/// Runs when Import-Module loads the module: from then on, a request for Nexus.Core (and only
/// that) is answered from the module's own load context. Everything Nexus.Core needs is then
/// resolved inside that context (see <see cref="NexusLoadContext"/>).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private const string CoreAssemblyName = "Nexus.Core";
    private static readonly object Gate = new();
    private static NexusLoadContext? _context;

    /// <inheritdoc />
    public void OnImport() => EnsureRegistered();

    /// <summary>Hooks the default context once per process (Import-Module -Force may call again).</summary>
    internal static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_context is not null)
            {
                return;
            }

            var moduleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
            _context = new NexusLoadContext(Path.Combine(moduleFolder, "Dependencies"));
            AssemblyLoadContext.Default.Resolving += ResolveCore;
        }
    }

    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == CoreAssemblyName ? _context!.LoadFromAssemblyName(name) : null;
}
