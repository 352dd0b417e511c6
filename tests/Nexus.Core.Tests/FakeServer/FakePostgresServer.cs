using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nexus.Core.Tests.FakeServer;

/// <summary>
/// A server on 127.0.0.1 that speaks just enough of the PostgreSQL v3 protocol for Npgsql to open
/// a connection and for a store to read its revision: no TLS, AuthenticationOk, the startup
/// parameters it is given (so it can pass for CockroachDB with a crdb_version), Npgsql's type
/// loading, <c>SELECT version()</c>, and <c>to_regclass</c> (no table exists). Any other
/// statement gets an error, so nothing can be written to it. It records every statement it is
/// sent. Not a database mock for the store's SQL: it stands in only for a server that cannot be
/// installed here (CockroachDB) and for the handshake that tells the two apart.
/// </summary>
internal sealed class FakePostgresServer : IDisposable
{
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private const int CancelRequestCode = 80877102;

    // OIDs and names of the base types Npgsql needs to read and write what the store asks here.
    private static readonly (uint Oid, string Name, char Type)[] Types =
    [
        (16, "bool", 'b'), (17, "bytea", 'b'), (18, "char", 'b'), (19, "name", 'b'), (20, "int8", 'b'),
        (21, "int2", 'b'), (23, "int4", 'b'), (25, "text", 'b'), (26, "oid", 'b'), (114, "json", 'b'),
        (700, "float4", 'b'), (701, "float8", 'b'), (1042, "bpchar", 'b'), (1043, "varchar", 'b'),
        (1082, "date", 'b'), (1114, "timestamp", 'b'), (1184, "timestamptz", 'b'), (1186, "interval", 'b'),
        (1700, "numeric", 'b'), (2205, "regclass", 'b'), (2950, "uuid", 'b'), (3802, "jsonb", 'b'),
        (2249, "record", 'p'), (2278, "void", 'p'),
    ];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly string _versionText;
    private readonly List<string> _statements = [];
    private readonly List<Task> _sessions = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _sessionCount;

    /// <param name="versionText">What <c>version()</c> returns.</param>
    /// <param name="parameters">The ParameterStatus messages sent at startup (server_version, crdb_version...).</param>
    public FakePostgresServer(string versionText, IReadOnlyDictionary<string, string> parameters)
    {
        _versionText = versionText;
        _parameters = parameters;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every statement received (simple queries and Parse messages), in order.</summary>
    public IReadOnlyList<string> Statements
    {
        get
        {
            lock (_statements)
            {
                return _statements.ToList();
            }
        }
    }

    /// <summary>How many sessions completed the startup handshake.</summary>
    public int Sessions => Volatile.Read(ref _sessionCount);

    /// <summary>Npgsql's own type-loading batch (sent once per data source, it starts with its own version() query).</summary>
    public static bool IsTypeLoading(string statement) => statement.Contains("FROM pg_type", StringComparison.Ordinal);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions, _accepting];
        }

        // Sessions end when their socket closes (the store disposes its pool) or the listener stops.
        Task.WaitAll(sessions.Select(t => t.ContinueWith(_ => { })).ToArray(), TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_sessions)
            {
                _sessions.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            if (!await StartupAsync(stream))
            {
                return;
            }

            await MessagesAsync(stream);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server is being disposed.
        }
    }

    // SSLRequest and GSSENCRequest are declined ('N'); the startup message gets AuthenticationOk,
    // the parameters, BackendKeyData and ReadyForQuery. False for a cancel request.
    private async Task<bool> StartupAsync(NetworkStream stream)
    {
        while (true)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(await ReadExactlyAsync(stream, 4));
            var body = await ReadExactlyAsync(stream, length - 4);
            var code = BinaryPrimitives.ReadInt32BigEndian(body);
            if (code is SslRequestCode or GssEncRequestCode)
            {
                await stream.WriteAsync("N"u8.ToArray(), _stop.Token);
                continue;
            }

            if (code == CancelRequestCode)
            {
                return false;
            }

            var reply = new BackendMessageWriter();
            reply.Message('R', m => m.Int32(0));
            foreach (var (name, value) in _parameters)
            {
                reply.Message('S', m => m.CString(name).CString(value));
            }

            reply.Message('K', m => m.Int32(4242).Int32(1234567));
            reply.Message('Z', m => m.Byte((byte)'I'));
            await reply.SendAsync(stream, _stop.Token);
            Interlocked.Increment(ref _sessionCount);
            return true;
        }
    }

    private async Task MessagesAsync(NetworkStream stream)
    {
        var failed = false;          // an extended-protocol error: skip to Sync
        string? statement = null;    // the statement of the current Parse
        short[] resultFormats = [];  // Bind's result formats
        while (true)
        {
            var type = (char)(await ReadExactlyAsync(stream, 1))[0];
            var length = BinaryPrimitives.ReadInt32BigEndian(await ReadExactlyAsync(stream, 4));
            var body = new FrontendMessageReader(await ReadExactlyAsync(stream, length - 4));
            var reply = new BackendMessageWriter();
            switch (type)
            {
                case 'X':
                    return;
                case 'Q':
                    // Simple query: the description comes with the rows, in text.
                    var text = body.CString();
                    Record(text);
                    if (IsTypeLoading(text))
                    {
                        TypeLoading(reply);
                    }
                    else if (Column(text) is { } column)
                    {
                        reply.Message('T', m => RowDescription(m, [column], []));
                        Rows(column, [], reply);
                    }
                    else
                    {
                        reply.Message('E', m => Error(m, text));
                    }

                    reply.Message('Z', m => m.Byte((byte)'I'));
                    break;
                case 'P':
                    body.CString();
                    statement = body.CString();
                    Record(statement);
                    if (failed)
                    {
                        break;
                    }

                    if (Column(statement) is null)
                    {
                        failed = true;
                        reply.Message('E', m => Error(m, statement));
                    }
                    else
                    {
                        reply.Message('1', _ => { });
                    }

                    break;
                case 'B' when !failed:
                    body.CString();
                    body.CString();
                    body.Skip(2 * body.Int16());
                    for (var i = body.Int16(); i > 0; i--)
                    {
                        body.Skip(Math.Max(body.Int32(), 0));
                    }

                    resultFormats = Enumerable.Range(0, body.Int16()).Select(_ => body.Int16()).ToArray();
                    reply.Message('2', _ => { });
                    break;
                case 'D' when !failed:
                    reply.Message('T', m => RowDescription(m, [Column(statement!)!.Value], resultFormats));
                    break;
                case 'E' when !failed:
                    Rows(Column(statement!)!.Value, resultFormats, reply);
                    break;
                case 'C' when !failed:
                    reply.Message('3', _ => { });
                    break;
                case 'S':
                    failed = false;
                    reply.Message('Z', m => m.Byte((byte)'I'));
                    break;
                default:
                    break;   // Flush, or a message after an error (skipped until Sync)
            }

            await reply.SendAsync(stream, _stop.Token);
        }
    }

    private void Record(string statement)
    {
        lock (_statements)
        {
            _statements.Add(statement);
        }
    }

    // The one column a statement the fake answers returns: version() or to_regclass(...) IS NOT NULL.
    private static (string Name, uint Oid)? Column(string statement) =>
        IsTypeLoading(statement) ? null
        : statement.Contains("version()", StringComparison.OrdinalIgnoreCase) ? ("version", 25)
        : statement.Contains("to_regclass(", StringComparison.OrdinalIgnoreCase) ? ("?column?", 16)
        : null;

    // The one row of a known statement and its CommandComplete. No table exists here:
    // to_regclass(...) IS NOT NULL is false.
    private void Rows((string Name, uint Oid) column, short[] formats, BackendMessageWriter reply)
    {
        var binary = formats.Length > 0 && formats[0] == 1;
        var value = column.Oid == 16 ? (binary ? [0] : "f"u8.ToArray()) : Encoding.UTF8.GetBytes(_versionText);
        reply.Message('D', m => m.Int16(1).Value(value));
        reply.Message('C', m => m.CString("SELECT 1"));
    }

    // Npgsql's batch: version(), then the types, composite fields and enum labels, each a result.
    private void TypeLoading(BackendMessageWriter reply)
    {
        reply.Message('T', m => RowDescription(m, [("version", 25)], []));
        reply.Message('D', m => m.Int16(1).Value(Encoding.UTF8.GetBytes(_versionText)));
        reply.Message('C', m => m.CString("SELECT 1"));

        reply.Message('T', m => RowDescription(m, [("nspname", 19), ("oid", 26), ("typname", 19), ("typtype", 18), ("typnotnull", 16), ("elemtypoid", 26)], []));
        foreach (var (oid, name, kind) in Types)
        {
            reply.Message('D', m => m.Int16(6)
                .Value("pg_catalog"u8.ToArray()).Value(Encoding.ASCII.GetBytes(oid.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Value(Encoding.ASCII.GetBytes(name)).Value([(byte)kind]).Value("f"u8.ToArray()).Value(null));
        }

        reply.Message('C', m => m.CString($"SELECT {Types.Length}"));
        reply.Message('T', m => RowDescription(m, [("oid", 26), ("attname", 19), ("atttypid", 26)], []));
        reply.Message('C', m => m.CString("SELECT 0"));
        reply.Message('T', m => RowDescription(m, [("oid", 26), ("enumlabel", 19)], []));
        reply.Message('C', m => m.CString("SELECT 0"));
    }

    private static void RowDescription(BackendMessageWriter m, (string Name, uint Oid)[] columns, short[] formats)
    {
        m.Int16((short)columns.Length);
        for (var i = 0; i < columns.Length; i++)
        {
            var format = formats.Length == 0 ? (short)0 : formats[Math.Min(i, formats.Length - 1)];
            m.CString(columns[i].Name).Int32(0).Int16(0).Int32((int)columns[i].Oid).Int16(-1).Int32(-1).Int16(format);
        }
    }

    private static void Error(BackendMessageWriter m, string statement) =>
        m.Byte((byte)'S').CString("ERROR").Byte((byte)'V').CString("ERROR").Byte((byte)'C').CString("0A000")
            .Byte((byte)'M').CString("the fake server does not run: " + statement).Byte(0);

    private async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, _stop.Token);
        return buffer;
    }
}
