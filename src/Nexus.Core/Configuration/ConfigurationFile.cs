using Nexus.Core.Store;

namespace Nexus.Core.Configuration;

/// <summary>
/// Finds the configuration file in the order the original system used: -ConfigPath, then
/// NEXUS_CONFIG, then ./nexus.yaml (PowerShell's current folder), then ~/.nexus/config.yaml.
/// </summary>
public static class ConfigurationFile
{
    /// <summary>The environment variable that points at another file.</summary>
    public const string PathVariable = "NEXUS_CONFIG";

    /// <summary>The full path of the effective file, or null when there is none.</summary>
    public static string? Find(string? explicitPath, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return RequireExisting(explicitPath, baseDirectory, "-ConfigPath");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return RequireExisting(fromEnvironment, baseDirectory, PathVariable);
        }

        var local = Path.Combine(baseDirectory, "nexus.yaml");
        if (File.Exists(local))
        {
            return Path.GetFullPath(local);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var user = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".nexus", "config.yaml");
        return user is not null && File.Exists(user) ? user : null;
    }

    /// <summary>Finds and reads the effective file; null when there is none.</summary>
    public static NexusConfiguration? Load(string? explicitPath, string baseDirectory)
    {
        var path = Find(explicitPath, baseDirectory);
        return path is null ? null : ConfigurationReader.Read(path);
    }

    /// <summary>The named stores of the effective file, for Tab completion; empty on any problem.</summary>
    public static IReadOnlyList<string> StoreNames(string? explicitPath, string baseDirectory)
    {
        try
        {
            return Load(explicitPath, baseDirectory)?.Stores.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        }
        catch (NexusException)
        {
            return [];
        }
    }

    private static string RequireExisting(string path, string baseDirectory, string from)
    {
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));
        return File.Exists(full)
            ? full
            : throw new NexusException(NexusErrorKind.InvalidConfiguration,
                $"The configuration file {full} (from {from}) does not exist.", full, hint: "Fix the path or create the file.");
    }
}
