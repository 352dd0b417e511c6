namespace Nexus.Core.Dialects.Postgres;

/// <summary>The SQLSTATEs (PostgresException.SqlState) that the module tells apart beyond the obvious.</summary>
internal static class PostgresErrorCodes
{
    public const string DeadlockDetected = "40P01";
    public const string SerializationFailure = "40001";
    public const string LockNotAvailable = "55P03";
    public const string DiskFull = "53100";
    public const string DataCorrupted = "XX001";
    public const string IndexCorrupted = "XX002";
}
