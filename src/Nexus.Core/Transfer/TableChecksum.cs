using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Nexus.Core.Transfer;

/// <summary>
/// An order-independent checksum of a table: the SHA-256 of every row's canonical serialization
/// (see <see cref="Add"/>), added up as 256-bit unsigned numbers modulo 2^256. A sum, unlike an
/// XOR, does not cancel out when a row appears twice, and the row count is kept beside it. Two
/// tables with the same rows in any order, in either database, give the same value.
/// </summary>
public sealed class TableChecksum
{
    // The 256-bit sum, most significant word first.
    private readonly ulong[] _sum = new ulong[4];
    private byte[] _buffer = new byte[1024];

    // One hash context for every row (reset after each): cheaper per row than a one-shot call,
    // which sets a context up and tears it down each time.
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The rows added.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Adds one canonical row. Serialization per value: 0x00 for null; 0x01 + 16 bytes
    /// (big-endian) for a uuid; 0x02 + int32 length + UTF-8 for text and JSON; 0x03 + int64 UTC
    /// ticks for a timestamp; 0x04 + int64 for an integer (all little-endian).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(object?[] row)
    {
        var length = 0;
        foreach (var value in row)
        {
            Ensure(length + 17);
            switch (value)
            {
                case null:
                    _buffer[length++] = 0;
                    break;
                case Guid id:
                    _buffer[length++] = 1;
                    id.TryWriteBytes(_buffer.AsSpan(length, 16), bigEndian: true, out _);
                    length += 16;
                    break;
                case string text:
                    var bytes = Encoding.UTF8.GetMaxByteCount(text.Length);
                    Ensure(length + 5 + bytes);
                    _buffer[length++] = 2;
                    var written = Encoding.UTF8.GetBytes(text, _buffer.AsSpan(length + 4));
                    BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(length), written);
                    length += 4 + written;
                    break;
                case DateTime time:
                    _buffer[length++] = 3;
                    BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(length), time.Ticks);
                    length += 8;
                    break;
                case long number:
                    _buffer[length++] = 4;
                    BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(length), number);
                    length += 8;
                    break;
                default:
                    throw new InvalidOperationException($"Not a canonical value: {value.GetType().Name}");
            }
        }

        Span<byte> hash = stackalloc byte[32];
        _sha.AppendData(_buffer.AsSpan(0, length));
        _sha.GetHashAndReset(hash);
        ulong carry = 0;
        for (var word = 3; word >= 0; word--)
        {
            var part = BinaryPrimitives.ReadUInt64BigEndian(hash.Slice(word * 8, 8));
            var sum = _sum[word] + part;
            var overflow = sum < part ? 1UL : 0UL;
            sum += carry;
            overflow |= sum < carry ? 1UL : 0UL;
            _sum[word] = sum;
            carry = overflow;
        }

        Rows++;
    }

    /// <summary>The sum as 64 lowercase hex digits.</summary>
    public string Value => string.Concat(_sum.Select(w => w.ToString("x16")));

    /// <inheritdoc />
    public override string ToString() => Value;

    private void Ensure(int size)
    {
        if (size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(size, _buffer.Length * 2));
        }
    }
}
