using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Nexus.Core.Tests.FakeServer;

/// <summary>Builds backend messages: a type byte, a length, a body.</summary>
internal sealed class BackendMessageWriter
{
    private readonly MemoryStream _out = new();
    private MemoryStream _body = new();

    public BackendMessageWriter Message(char type, Action<BackendMessageWriter> body)
    {
        _body = new MemoryStream();
        body(this);
        _out.WriteByte((byte)type);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, (int)_body.Length + 4);
        _out.Write(length);
        _body.WriteTo(_out);
        return this;
    }

    public BackendMessageWriter Byte(byte value)
    {
        _body.WriteByte(value);
        return this;
    }

    public BackendMessageWriter Int16(short value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        _body.Write(bytes);
        return this;
    }

    public BackendMessageWriter Int32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        _body.Write(bytes);
        return this;
    }

    public BackendMessageWriter CString(string value)
    {
        _body.Write(Encoding.UTF8.GetBytes(value));
        _body.WriteByte(0);
        return this;
    }

    // A DataRow column: its length and bytes, or -1 for NULL.
    public BackendMessageWriter Value(byte[]? value)
    {
        Int32(value?.Length ?? -1);
        if (value is not null)
        {
            _body.Write(value);
        }

        return this;
    }

    public async Task SendAsync(NetworkStream stream, CancellationToken token)
    {
        if (_out.Length > 0)
        {
            await stream.WriteAsync(_out.ToArray(), token);
        }
    }
}
