using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// One migration step failed and was rolled back; its message already names the step, so the
/// runner passes it on as it is. <see cref="NexusException.Target"/> is the step's script name.
/// </summary>
public sealed class MigrationStepFailedException : NexusException
{
    public MigrationStepFailedException(string scriptName, MigrationDirection direction, string? statement, string message, Exception? inner)
        : base(NexusErrorKind.MigrationFailed, message, scriptName, inner)
    {
        ScriptName = scriptName;
        Direction = direction;
        Statement = statement;
    }

    /// <summary>The script of the step that failed, such as 0002_add_owner_index.up.sql.</summary>
    public string ScriptName { get; }

    /// <summary>Whether the step was applying (up) or reverting (down).</summary>
    public MigrationDirection Direction { get; }

    /// <summary>The statement that failed, when it is known.</summary>
    public string? Statement { get; }
}
