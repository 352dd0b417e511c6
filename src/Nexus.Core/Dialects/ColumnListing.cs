using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>Runs a dialect's catalog query for the column names of one table (parameter @t).</summary>
internal static class ColumnListing
{
    public static IReadOnlyList<string> Read(DbConnection connection, DbTransaction? transaction, string sql, string table)
    {
        using var command = connection.CreateCommand(sql, transaction);
        command.AddParameter("@t", table);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
