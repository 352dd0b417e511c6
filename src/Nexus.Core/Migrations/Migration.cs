namespace Nexus.Core.Migrations;

/// <summary>One migration of one dialect, as embedded in this module: its up and down scripts.</summary>
public sealed class Migration
{
    internal Migration(string id, string name, string description, string upScript, string? downScript)
    {
        Id = id;
        Name = name;
        Description = description;
        UpScript = upScript;
        DownScript = downScript;
        Checksum = ScriptChecksum.Compute(upScript);
        DownChecksum = downScript is null ? null : ScriptChecksum.Compute(downScript);
    }

    /// <summary>The four-digit id, such as 0002; ids order the migrations.</summary>
    public string Id { get; }

    /// <summary>The name part of the file name, such as versions_protection_and_lookups.</summary>
    public string Name { get; }

    /// <summary>What the migration does, from the script's "Description:" header line.</summary>
    public string Description { get; }

    /// <summary>The script name DbUp journals: the same on every dialect (0002_versions_…).</summary>
    public string ScriptName => $"{Id}_{Name}";

    /// <summary>The up script.</summary>
    public string UpScript { get; }

    /// <summary>The down script, if the migration has one.</summary>
    public string? DownScript { get; }

    /// <summary>SHA-256 of the up script (line endings normalized).</summary>
    public string Checksum { get; }

    /// <summary>SHA-256 of the down script, if any.</summary>
    public string? DownChecksum { get; }

    /// <inheritdoc />
    public override string ToString() => ScriptName;
}
