using System.Data.Common;
using System.Text.RegularExpressions;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Reads a down script for the statements that destroy data and counts, on the store as it is
/// now, what they would destroy: DROP TABLE t and DELETE FROM t / TRUNCATE t count t's rows;
/// ALTER TABLE t DROP [COLUMN] c counts c's non-null values. Tables and columns that do not
/// exist (yet) or hold nothing are left out, so a step over empty tables destroys nothing.
/// </summary>
/// <remarks>
/// Why read the script instead of rehearsing it: a rehearsal would run every down step twice
/// (a DROP COLUMN on SQLite rewrites the whole table) and take PostgreSQL's exclusive table locks
/// for a mere -WhatIf. The statements that lose data in a down script are few and plain, and
/// the estimate errs on the safe side: a DELETE with a WHERE counts the whole table, and a
/// SQLite table rebuild (create new, copy, DROP TABLE old, rename) counts every row of the old
/// table, so such a step asks for confirmation whenever the table holds rows. A down script
/// that hides its destruction elsewhere (a trigger, a function) is not seen; the journaled down
/// script is checksummed, so only an author's own script can do that.
/// </remarks>
internal static class DownScriptInspector
{
    private const string Name = @"(?:""[^""]+""|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*)";
    private const string QualifiedName = @"(?:" + Name + @"\s*\.\s*)?(?<t>" + Name + ")";
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

    private static readonly Regex DropTable = new(@"^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?" + QualifiedName, Options);
    private static readonly Regex EmptyTable = new(@"^(?:DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?" + QualifiedName, Options);
    private static readonly Regex AlterTable = new(@"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?" + QualifiedName + @"\s+(?<actions>.*)$", Options | RegexOptions.Singleline);
    private static readonly Regex DropColumn = new(@"(?:^|,)\s*DROP\s+(?!CONSTRAINT\b)(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(?<c>" + Name + ")", Options);
    private static readonly Regex Comment = new(@"--[^\n]*|/\*.*?\*/", RegexOptions.Singleline | RegexOptions.Compiled);

    /// <summary>What running <paramref name="script"/> now would destroy, in script order.</summary>
    public static IReadOnlyList<DataLoss> Measure(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, string script)
    {
        var losses = new List<DataLoss>();
        foreach (var raw in SqlStatementSplitter.Split(script))
        {
            var statement = Comment.Replace(raw, " ").Trim();
            var table = DropTable.Match(statement) is { Success: true } drop ? drop
                : EmptyTable.Match(statement) is { Success: true } empty ? empty
                : null;
            if (table is not null)
            {
                var name = Unquote(table.Groups["t"].Value);
                if (dialect.TableExists(connection, name) && Count(connection, transaction, $"SELECT count(*) FROM {Quote(name)}") is > 0 and var rows)
                {
                    losses.Add(new DataLoss(name, null, rows));
                }

                continue;
            }

            if (AlterTable.Match(statement) is not { Success: true } alter)
            {
                continue;
            }

            var altered = Unquote(alter.Groups["t"].Value);
            var columns = dialect.ListColumns(connection, transaction, altered);
            foreach (Match dropped in DropColumn.Matches(alter.Groups["actions"].Value))
            {
                var column = columns.FirstOrDefault(c => string.Equals(c, Unquote(dropped.Groups["c"].Value), StringComparison.OrdinalIgnoreCase));
                if (column is not null && Count(connection, transaction, $"SELECT count({Quote(column)}) FROM {Quote(altered)}") is > 0 and var values)
                {
                    losses.Add(new DataLoss(altered, column, values));
                }
            }
        }

        return losses;
    }

    private static long Count(DbConnection connection, DbTransaction? transaction, string sql) =>
        connection.Scalar<long>(sql, transaction);

    /// <summary>A name as the catalog spells it: quotes removed, unquoted names folded to lower case.</summary>
    private static string Unquote(string name) =>
        name[0] is '"' or '`' or '[' ? name[1..^1] : name.ToLowerInvariant();

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
