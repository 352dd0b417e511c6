namespace Nexus.Core.Dialects;

/// <summary>Quotes a catalog-supplied name for SQL (double quotes, the same on SQLite and PostgreSQL).</summary>
internal static class SqlIdentifier
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
