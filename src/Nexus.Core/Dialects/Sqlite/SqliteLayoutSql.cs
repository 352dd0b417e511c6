using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>An SQLite store is one file with the plain layout: nothing to partition or distribute.</summary>
internal sealed class SqliteLayoutSql : ILayoutSql
{
    public bool Supports(StoreLayoutKind kind) => kind == StoreLayoutKind.Plain;

    public StoreLayout Read(DbConnection connection) => StoreLayout.Plain;

    public IReadOnlyList<string> CreateTables(StoreLayout layout, string schema) =>
        throw new NotSupportedException("An SQLite store has the plain layout only; its tables are made by the migrations.");
}
