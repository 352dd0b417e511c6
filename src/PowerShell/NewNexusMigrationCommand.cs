using System.Management.Automation;
using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Creates the next migration's four script files (up and down, SQLite and PostgreSQL) in the migration source folder.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "NexusMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class NewNexusMigrationCommand : PSCmdlet
{
    /// <summary>What the migration does, in a few words ("add owner index"); it becomes the file name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The migration source folder (src/Nexus.Core/Migrations/Scripts). Defaults to the source tree
    /// the module was built from, when it runs from the repository's out/Nexus folder.
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var folder = Path is not null ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path) : FindSourceFolder();
        if (folder is null)
        {
            ThrowTerminatingError(ErrorRecords.From(new NexusException(NexusErrorKind.NotFound,
                "This module does not run from a Nexus source tree, so it does not know where the migration scripts live.", hint: "Give -Path the src/Nexus.Core/Migrations/Scripts folder of your checkout.")));
            return;
        }

        try
        {
            var slug = MigrationScaffolder.ToScriptName(Name);
            if (!ShouldProcess(folder, $"Create the four script files of migration '{slug}'"))
            {
                return;
            }

            foreach (var file in MigrationScaffolder.Scaffold(folder, Name))
            {
                WriteObject(new FileInfo(file));
            }

            WriteVerbose("Write the SQL into the files, then rebuild the module (scripts/build.sh) to embed them; try them first with Invoke-NexusMigration -MigrationPath on a copy of a store.");
        }
        catch (NexusException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, folder));
        }
    }

    /// <summary>src/Nexus.Core/Migrations/Scripts two levels above a module loaded from &lt;repo&gt;/out/Nexus.</summary>
    private string? FindSourceFolder()
    {
        var moduleBase = MyInvocation.MyCommand.Module?.ModuleBase;
        if (moduleBase is null)
        {
            return null;
        }

        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(moduleBase, "..", "..", "src", "Nexus.Core", "Migrations", "Scripts"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}
