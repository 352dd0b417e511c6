using System.Data.Common;
using System.Globalization;
using Nexus.Core.Connection;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// PostgreSQL's part of migrating: the lock is a session advisory lock
/// (<see cref="PostgresMigrationLock"/>), declared types are checked, ids become uuid, JSON
/// becomes jsonb (or stays text with -KeepOriginalTypes), naive timestamps are read as UTC.
/// </summary>
internal sealed class PostgresMigrationSql : IMigrationSql
{
    /// <summary>The GIN index migration 0001 gives jsonb values.</summary>
    private const string ValueIndex = "idx_file_metadata_value_gin";

    /// <summary>PostgreSQL data types each kind of original column may have.</summary>
    private static readonly string[] TextTypes = { "character varying", "text", "character", "uuid" };
    private static readonly string[] NumberTypes = { "integer", "bigint", "smallint", "numeric" };
    private static readonly string[] TimeTypes = { "timestamp without time zone", "timestamp with time zone" };
    private static readonly string[] JsonTypes = { "text", "character varying", "json", "jsonb" };

    public IMigrationLock CreateLock(DbConnection connection) => new PostgresMigrationLock(connection);

    public bool UpScriptsRunInStep => false;

    public string TableCountSql(string table) =>
        $"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '{table}'";

    public T ReadExisting<T>(StoreTarget target, Func<DbConnection, T> read, T whenMissing)
    {
        using var source = new PostgresConnectionSource(target);
        using var connection = source.Open();
        return read(connection);
    }

    public OfflineScriptSql OfflineScript { get; } = new("PostgreSQL", Prologue: string.Empty, StepCheck: string.Empty, Epilogue: string.Empty, Now: "now()");

    public string ColumnTypesSql =>
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table";

    public IReadOnlyList<string>? OriginalTypes(OriginalColumnKind kind) => kind switch
    {
        OriginalColumnKind.Time => TimeTypes,
        OriginalColumnKind.Number => NumberTypes,
        OriginalColumnKind.Json => JsonTypes,
        _ => TextTypes,
    };

    public string? NotJsonCondition(string column) => null;

    public string? NotUuidCondition(string column) =>
        $"{column}::text !~ '^[0-9a-fA-F]{{8}}-?[0-9a-fA-F]{{4}}-?[0-9a-fA-F]{{4}}-?[0-9a-fA-F]{{4}}-?[0-9a-fA-F]{{12}}$'";

    // The default is added once the table exists (AfterAdoptedTablesCreated).
    public string WithInsertTimeDefault(string statement) => statement;

    public (bool KeepsJsonText, string? Note) AfterAdoptedTablesCreated(DbConnection connection, DbTransaction? transaction, bool keepOriginalTypes)
    {
        connection.Execute("ALTER TABLE file_metadata ALTER COLUMN updated_at SET DEFAULT now()", transaction);
        if (!keepOriginalTypes)
        {
            return (false, "file_metadata.value is now jsonb (with a GIN index). The original system reads values with json.loads and cannot read them from jsonb: "
                + "if it still runs on this store, its attribute reads fail. To keep it working, adopt a copy made before this with -KeepOriginalTypes.");
        }

        connection.Execute($"DROP INDEX {ValueIndex}", transaction);
        connection.Execute("ALTER TABLE file_metadata ALTER COLUMN value TYPE text", transaction);
        return (true, "file_metadata.value was kept as the original's JSON text (-KeepOriginalTypes), so the original system keeps reading attributes; the module queries it too (containment through a cast, without the GIN index). "
            + "Once the original no longer runs on this store, convert it with: Invoke-NexusMigration -ConvertOriginalTypes");
    }

    public void ClearOwnIndexes(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> tables)
    {
        var relations = string.Join(", ", tables.Select(t => $"'{t}'::regclass"));
        // Foreign keys first, then the rest; then plain indexes (those of the constraints went with them).
        foreach (var statement in connection.Strings($"""
                     SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.conrelid::regclass::text, c.conname)
                     FROM pg_constraint c
                     WHERE c.conrelid IN ({relations}) AND c.contype IN ('f', 'u', 'c', 'p')
                     ORDER BY c.contype <> 'f', c.conname
                     """, transaction))
        {
            connection.Execute(statement, transaction);
        }

        foreach (var statement in connection.Strings($"""
                     SELECT format('DROP INDEX %I', i.indexrelid::regclass::text)
                     FROM pg_index i
                     WHERE i.indrelid IN ({relations})
                     """, transaction))
        {
            connection.Execute(statement, transaction);
        }
    }

    /// <summary>One INSERT … SELECT, converting in SQL: naive timestamps were written in UTC by the original system.</summary>
    public void CopyAdoptedRows(DbConnection connection, DbTransaction? transaction, string from, string to, IReadOnlyList<AdoptedColumn> columns, bool keepJsonText)
    {
        var select = columns.Select(c => c.Kind switch
        {
            OriginalColumnKind.Id => $"{c.Source}::text::uuid",
            OriginalColumnKind.Json => keepJsonText ? $"{c.Source}::text" : $"{c.Source}::text::jsonb",
            OriginalColumnKind.Time => c.SourceType == "timestamp with time zone" ? c.Source : $"{c.Source} AT TIME ZONE 'UTC'",
            _ when c.WhenNull is not null => $"COALESCE({c.Source}, {Literal(c.WhenNull)})",
            _ => c.Source,
        });
        connection.Execute(
            $"INSERT INTO {to} ({string.Join(", ", columns.Select(c => c.Name))}) SELECT {string.Join(", ", select)} FROM {from}", transaction);
    }

    private static string Literal(object value) => value is string text
        ? "'" + text.Replace("'", "''") + "'"
        : Convert.ToString(value, CultureInfo.InvariantCulture)!;

    public string? ConvertJsonTextValues(DbConnection connection, DbTransaction? transaction)
    {
        if (connection.Scalar<string>(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'file_metadata' AND column_name = 'value'", transaction) != "text")
        {
            return null;
        }

        connection.Execute("ALTER TABLE file_metadata ALTER COLUMN value TYPE jsonb USING value::jsonb", transaction);
        connection.Execute($"CREATE INDEX {ValueIndex} ON file_metadata USING gin (value jsonb_path_ops)", transaction);
        return "Converted file_metadata.value from JSON text to jsonb and created its GIN index.";
    }
}
