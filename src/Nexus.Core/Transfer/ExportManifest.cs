using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nexus.Core.Transfer;

/// <summary>
/// manifest.json of an export folder (see docs/EXPORT-FORMAT.md): what made the export, from
/// which schema revision, and for each table its file, row count, the SHA-256 of the file's bytes
/// and the canonical order-independent checksum of its rows.
/// </summary>
public sealed class ExportManifest
{
    /// <summary>The file name inside the export folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The only format version this module writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Always "nexus-export".</summary>
    public string Format { get; set; } = "nexus-export";

    /// <summary>The format version (1).</summary>
    public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>The version of the module that wrote the export.</summary>
    public string ModuleVersion { get; set; } = string.Empty;

    /// <summary>The schema revision (migration id) of the exported store.</summary>
    public string SchemaRevision { get; set; } = string.Empty;

    /// <summary>Sqlite or PostgreSql: the provider the rows came from.</summary>
    public string Provider { get; set; } = string.Empty;

    /// <summary>When the export finished (UTC, ISO-8601).</summary>
    public string CreatedAt { get; set; } = string.Empty;

    /// <summary>True when the table files are gzip-compressed.</summary>
    public bool Compressed { get; set; }

    /// <summary>One entry per table, in load order.</summary>
    public List<ExportManifestTable> Tables { get; set; } = [];

    /// <summary>Reads and checks a manifest; errors say what is wrong with the folder.</summary>
    public static ExportManifest Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!Directory.Exists(folder))
        {
            throw new Store.NexusException(Store.NexusErrorKind.NotFound, $"The export folder '{folder}' does not exist.", folder);
        }

        if (!File.Exists(path))
        {
            throw new Store.NexusException(Store.NexusErrorKind.InvalidData,
                $"'{folder}' holds no {FileName}: it is not a finished Nexus export (an interrupted Export-NexusData leaves none). Run Export-NexusData again.", folder);
        }

        ExportManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ExportManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new Store.NexusException(Store.NexusErrorKind.InvalidData, $"{path} is not a valid manifest: {e.Message}", path, e);
        }

        if (manifest is null || manifest.Format != "nexus-export")
        {
            throw new Store.NexusException(Store.NexusErrorKind.InvalidData, $"{path} is not a Nexus export manifest.", path);
        }

        if (manifest.FormatVersion != CurrentFormatVersion)
        {
            throw new Store.NexusException(Store.NexusErrorKind.InvalidData,
                $"{path} has export format version {manifest.FormatVersion}; this module reads version {CurrentFormatVersion}. Use a module version that matches the export (it was made by {manifest.ModuleVersion}).", path);
        }

        foreach (var table in TransferTable.All)
        {
            if (manifest.Tables.All(t => t.Name != table.Name))
            {
                throw new Store.NexusException(Store.NexusErrorKind.InvalidData, $"{path} lists no table {table.Name}; the export is incomplete.", path);
            }
        }

        return manifest;
    }

    /// <summary>Writes the manifest atomically (a temporary file renamed over the final name).</summary>
    public void Save(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".partial";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
