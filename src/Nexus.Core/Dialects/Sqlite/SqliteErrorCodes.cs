namespace Nexus.Core.Dialects.Sqlite;

/// <summary>SQLite's primary result codes that the module tells apart (SqliteException.SqliteErrorCode).</summary>
internal static class SqliteErrorCodes
{
    public const int Busy = 5;          // SQLITE_BUSY: another connection holds the lock
    public const int Locked = 6;        // SQLITE_LOCKED: a lock conflict inside one connection
    public const int ReadOnly = 8;      // SQLITE_READONLY
    public const int IoError = 10;      // SQLITE_IOERR: the OS refused a read or write
    public const int Corrupt = 11;      // SQLITE_CORRUPT: malformed database pages
    public const int Full = 13;         // SQLITE_FULL: the disk or max_page_count is full
    public const int CantOpen = 14;     // SQLITE_CANTOPEN
    public const int TooBig = 18;       // SQLITE_TOOBIG: a string or BLOB over the size limit
    public const int Constraint = 19;   // SQLITE_CONSTRAINT
    public const int Mismatch = 20;     // SQLITE_MISMATCH: a value of the wrong type for the column
    public const int Range = 25;        // SQLITE_RANGE: a parameter index out of range
    public const int NotADatabase = 26; // SQLITE_NOTADB: the file is not a database (or encrypted)
}
