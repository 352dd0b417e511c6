using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// The staging tables' verification inside PostgreSQL (<see cref="IStagedDigest"/>). Per row the
/// server takes hash_record_extended over the row as stored (jsonb as its text), folds it through
/// two hashint8extended calls (so that a value moved between rows changes the sum: the record
/// hash alone is linear in its columns' hashes), and sums these over the table as numeric; the
/// client computes the same per row from the values it writes (<see cref="PostgresHash"/>,
/// <see cref="JsonbText"/>). No row leaves the server, and no order or sort is needed.
/// </summary>
internal sealed class PostgresRowDigest : IStagedDigest
{
    // Timestamps are kept as microseconds since 2000-01-01 UTC.
    private static readonly long ServerEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private readonly IReadOnlyList<BulkColumn> _columns;
    private readonly BulkValueType[] _types;
    private readonly JsonbText _json = new();
    private byte[] _text = new byte[256];
    private long _rows;
    private Int128 _sum;

    public PostgresRowDigest(IReadOnlyList<BulkColumn> columns)
    {
        _columns = columns;
        _types = columns.Select(c => c.Type).ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(object?[] row)
    {
        ulong record = 0;
        for (var i = 0; i < _types.Length; i++)
        {
            var value = row[i];
            var hash = value is null ? 0UL : _types[i] switch
            {
                BulkValueType.Uuid => Uuid((Guid)value),
                BulkValueType.Json => PostgresHash.Bytes(_json.From((string)value), 0),
                BulkValueType.Timestamp => PostgresHash.Int64((((DateTime)value).Ticks - ServerEpochTicks) / 10, 0),
                BulkValueType.Int32 => PostgresHash.UInt32((uint)checked((int)(long)value), 0),
                BulkValueType.Int64 => PostgresHash.Int64((long)value, 0),
                _ => Text((string)value),
            };
            record = (record << 5) - record + hash;   // hash_record_extended's combination
        }

        _sum += Fold(record);
        _rows++;
    }

    public bool MatchesServer(DbConnection stagingConnection, string table, out string detail)
    {
        var row = string.Join(", ", _columns.Select(c => c.Type == BulkValueType.Json ? $"{c.Name}::text" : c.Name));
        var sql = $"SELECT count(*), coalesce(sum(hashint8extended(h, 1) # hashint8extended(h >> 32, 2)), 0)::text FROM (SELECT hash_record_extended(ROW({row}), 0) AS h FROM {table}) AS r";
        long rows;
        string sum;
        using (var command = stagingConnection.CreateCommand(sql))
        {
            command.CommandTimeout = 0;
            using var reader = command.ExecuteReader();
            reader.Read();
            rows = reader.GetInt64(0);
            sum = reader.GetString(1);
        }

        var mine = _sum.ToString(CultureInfo.InvariantCulture);
        detail = $"{rows} rows, hash sum {sum} in the server; {_rows} rows, hash sum {mine} written";
        return rows == _rows && sum == mine;
    }

    // hashint8extended(h, 1) # hashint8extended(h >> 32, 2), as a signed bigint (what sum() adds).
    private static long Fold(ulong record)
    {
        var h = (long)record;
        return (long)(PostgresHash.Int64(h, 1) ^ PostgresHash.Int64(h >> 32, 2));
    }

    private static ulong Uuid(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return PostgresHash.Bytes(bytes, 0);
    }

    private ulong Text(string text)
    {
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (most > _text.Length)
        {
            _text = new byte[Math.Max(most, _text.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(text, _text);
        return PostgresHash.Bytes(_text.AsSpan(0, length), 0);
    }
}
