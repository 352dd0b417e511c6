using System.Collections.Specialized;
using System.Data.Common;
using Nexus.Core.Dialects;

namespace Nexus.Core.Dialects;

/// <summary>The offending rows of a check: the first <see cref="MaxRows"/> kept, all counted.</summary>
internal sealed class RowSample
{
    /// <summary>How many offending rows a sample keeps.</summary>
    public const int MaxRows = 100;

    private readonly List<OrderedDictionary> _rows = new();

    public IReadOnlyList<OrderedDictionary> Rows => _rows;

    public long Count { get; private set; }

    /// <summary>Runs a query and keeps what it returns as offending rows.</summary>
    public static RowSample Query(DbConnection connection, string sql, Action<DbCommand>? parameters = null, DbTransaction? transaction = null)
    {
        var sample = new RowSample();
        sample.AddQuery(connection, sql, parameters, transaction);
        return sample;
    }

    public void AddQuery(DbConnection connection, string sql, Action<DbCommand>? parameters = null, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand(sql, transaction);
        parameters?.Invoke(command);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (_rows.Count < MaxRows)
            {
                var row = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                _rows.Add(row);
            }

            Count++;
        }
    }

    /// <summary>Adds one row built by the caller.</summary>
    public void Add(params (string Name, object? Value)[] columns)
    {
        if (_rows.Count < MaxRows)
        {
            var row = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in columns)
            {
                row[name] = value;
            }

            _rows.Add(row);
        }

        Count++;
    }

    /// <summary>What the check found: these rows, with <paramref name="passDetails"/> when there are none, else <paramref name="foundDetails"/>.</summary>
    public CheckFinding Finding(string passDetails, Func<long, string> foundDetails) =>
        new(this, Count == 0 ? passDetails : foundDetails(Count));
}
