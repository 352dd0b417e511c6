using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>
/// A SQLite store file copied while in use: VACUUM INTO writes the database as one read
/// transaction sees it (WAL: writers keep going), compacted; the copy is checked with
/// integrity_check, foreign_key_check and its size against page_count × page_size.
/// </summary>
internal sealed class SqliteFileBackup : IFileBackup
{
    public void WriteCopy(DbConnection connection, string path) => VacuumInto(connection, path);

    /// <summary>The one VACUUM INTO of the module (backups, and the copy a migration rehearsal runs on).</summary>
    public static void VacuumInto(DbConnection connection, string path)
    {
        using var command = connection.CreateCommand("VACUUM INTO @path");
        command.CommandTimeout = 0;
        command.AddParameter("@path", path);
        command.ExecuteNonQuery();
    }

    public DbConnection OpenCopy(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public string Check(DbConnection copy, long sizeBytes)
    {
        var integrity = copy.Scalar<string>("PRAGMA integrity_check") ?? "no answer";
        using (var fk = copy.CreateCommand("PRAGMA foreign_key_check"))
        using (var reader = fk.ExecuteReader())
        {
            if (reader.Read())
            {
                integrity = $"foreign key violation in {reader.GetString(0)}";
            }
        }

        var pages = copy.Scalar<long>("PRAGMA page_count") * copy.Scalar<long>("PRAGMA page_size");
        if (integrity == "ok" && pages != sizeBytes)
        {
            integrity = $"the file has {sizeBytes} bytes, its pages {pages}";
        }

        return integrity;
    }

    public void ReleaseFiles() => SqliteConnection.ClearAllPools();
}
