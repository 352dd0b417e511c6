using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Nexus.PowerShell.Loading;

/// <summary>
/// The module's own load context over its Dependencies/ folder (Nexus.Core's publish output).
/// Npgsql, DbUp, Microsoft.Data.Sqlite and their dependencies load here, so another module's
/// copies of them in the default context neither break this module nor are broken by it.
/// </summary>
internal sealed class NexusLoadContext : AssemblyLoadContext
{
    private readonly string _dependencies;
    private readonly AssemblyDependencyResolver _resolver;

    public NexusLoadContext(string dependenciesFolder)
        : base("Nexus", isCollectible: false)
    {
        _dependencies = dependenciesFolder;
        _resolver = new AssemblyDependencyResolver(Path.Combine(dependenciesFolder, "Nexus.Core.dll"));
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The PowerShell engine's own assemblies must be shared with the host, never duplicated.
        if (assemblyName.Name is "System.Management.Automation")
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var candidate = Path.Combine(_dependencies, assemblyName.Name + ".dll");
            path = File.Exists(candidate) ? candidate : null;
        }

        // Anything not shipped in Dependencies/ (the framework) comes from the default context.
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // Look in runtimes/<rid>/native ourselves first: PowerShell's own native probing does not
        // know this folder, and the deps.json fallback graph differs between .NET versions.
        foreach (var candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate))
            {
                return LoadUnmanagedDllFromPath(candidate);
            }
        }

        var resolved = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return resolved is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(resolved);
    }

    private IEnumerable<string> NativeCandidates(string name)
    {
        var file = NativeFileName(name);
        foreach (var rid in RuntimeIdentifiers())
        {
            yield return Path.Combine(_dependencies, "runtimes", rid, "native", file);
        }
    }

    private static string NativeFileName(string name)
    {
        if (Path.HasExtension(name) && (name.EndsWith(".dll") || name.EndsWith(".so") || name.EndsWith(".dylib")))
        {
            return name;
        }

        if (OperatingSystem.IsWindows())
        {
            return name + ".dll";
        }

        var prefixed = name.StartsWith("lib", StringComparison.Ordinal) ? name : "lib" + name;
        return prefixed + (OperatingSystem.IsMacOS() ? ".dylib" : ".so");
    }

    /// <summary>The runtime identifiers to try, most specific first (linux-musl-x64, then linux-x64).</summary>
    internal static IEnumerable<string> RuntimeIdentifiers()
    {
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };

        if (OperatingSystem.IsWindows())
        {
            yield return $"win-{arch}";
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return $"osx-{arch}";
        }
        else
        {
            if (RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase) || File.Exists("/etc/alpine-release"))
            {
                yield return $"linux-musl-{arch}";
            }

            yield return $"linux-{arch}";
        }
    }
}
