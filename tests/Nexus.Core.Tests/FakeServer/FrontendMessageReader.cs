using System.Buffers.Binary;
using System.Text;

namespace Nexus.Core.Tests.FakeServer;

/// <summary>Reads a frontend message's body.</summary>
internal sealed class FrontendMessageReader(byte[] body)
{
    private int _at;

    public string CString()
    {
        var end = Array.IndexOf(body, (byte)0, _at);
        var text = Encoding.UTF8.GetString(body, _at, end - _at);
        _at = end + 1;
        return text;
    }

    public short Int16()
    {
        var value = BinaryPrimitives.ReadInt16BigEndian(body.AsSpan(_at));
        _at += 2;
        return value;
    }

    public int Int32()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(_at));
        _at += 4;
        return value;
    }

    public void Skip(int count) => _at += count;
}
