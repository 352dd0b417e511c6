using Nexus.Core.Session;

namespace Nexus.Core.Migrations;

/// <summary>
/// Makes the checked copy that <see cref="MigrationOptions.Backup"/> asks for: <paramref name="store"/>
/// copied to <paramref name="path"/>, treating partial files named like <paramref name="leftoverPattern"/>
/// as leftovers of earlier runs; returns the backup's path. Invoke-NexusMigration passes
/// Backup-NexusStore's copy (Transfer/StoreBackup), which sits above this folder.
/// </summary>
public delegate string BackupCopier(NexusStore store, string path, string leftoverPattern);
