using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// The 64-bit hashes PostgreSQL's hash operator classes give (hashtextextended, uuid_hash_extended,
/// hashint4extended, hashint8extended, the timestamps' hash), computed on the client: Bob
/// Jenkins' lookup3 as the server runs it on a little-endian machine (the length folded into the
/// start value, every block mixed, the final mix always applied, 64 bits out of b and c).
/// tests/TransferStaging.Tests.ps1 checks these against the server's own functions; where they
/// differ (a big-endian server) verification falls back to reading the rows back.
/// </summary>
internal static class PostgresHash
{
    private const uint Start = 0x9e3779b9u + 3923095u;

    /// <summary>hash_bytes_extended: text (its UTF-8 bytes) and uuid (its 16 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Bytes(ReadOnlySpan<byte> k, ulong seed)
    {
        uint a, b, c;
        a = b = c = Start + (uint)k.Length;
        if (seed != 0)
        {
            a += (uint)(seed >> 32);
            b += (uint)seed;
            Mix(ref a, ref b, ref c);
        }

        while (k.Length >= 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(k);
            b += BinaryPrimitives.ReadUInt32LittleEndian(k[4..]);
            c += BinaryPrimitives.ReadUInt32LittleEndian(k[8..]);
            Mix(ref a, ref b, ref c);
            k = k[12..];
        }

        // The last bytes; the lowest byte of c stays for the length.
        switch (k.Length)
        {
            case 11: c += (uint)k[10] << 24; goto case 10;
            case 10: c += (uint)k[9] << 16; goto case 9;
            case 9: c += (uint)k[8] << 8; goto case 8;
            case 8: b += (uint)k[7] << 24; goto case 7;
            case 7: b += (uint)k[6] << 16; goto case 6;
            case 6: b += (uint)k[5] << 8; goto case 5;
            case 5: b += k[4]; goto case 4;
            case 4: a += (uint)k[3] << 24; goto case 3;
            case 3: a += (uint)k[2] << 16; goto case 2;
            case 2: a += (uint)k[1] << 8; goto case 1;
            case 1: a += k[0]; break;
        }

        Final(ref a, ref b, ref c);
        return ((ulong)b << 32) | c;
    }

    /// <summary>hash_bytes_uint32_extended: integer (hashint4extended).</summary>
    public static ulong UInt32(uint k, ulong seed)
    {
        uint a, b, c;
        a = b = c = Start + 4u;
        if (seed != 0)
        {
            a += (uint)(seed >> 32);
            b += (uint)seed;
            Mix(ref a, ref b, ref c);
        }

        a += k;
        Final(ref a, ref b, ref c);
        return ((ulong)b << 32) | c;
    }

    /// <summary>hashint8extended: bigint and timestamps (microseconds since 2000-01-01).</summary>
    public static ulong Int64(long value, ulong seed)
    {
        // The high half folded into the low one, so that a small negative and its int4 agree.
        var low = (uint)value;
        var high = (uint)(value >> 32);
        low ^= value >= 0 ? high : ~high;
        return UInt32(low, seed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
