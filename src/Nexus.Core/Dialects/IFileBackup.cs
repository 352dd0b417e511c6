using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>
/// What only the engine of a one-file store knows about copying it while it is in use. The
/// careful part (partial file, leftovers, checks, rename) is Transfer/StoreBackup, written once.
/// </summary>
internal interface IFileBackup
{
    /// <summary>
    /// Writes a consistent, compacted copy of the store open on <paramref name="connection"/> to
    /// <paramref name="path"/> (which may exist only as an empty file); writers keep going meanwhile.
    /// </summary>
    void WriteCopy(DbConnection connection, string path);

    /// <summary>Opens a copy read-only and unpooled, to check it.</summary>
    DbConnection OpenCopy(string path);

    /// <summary>"ok", or what is wrong with the copy: the engine's integrity and foreign-key checks, its size against its pages.</summary>
    string Check(DbConnection copy, long sizeBytes);

    /// <summary>Lets go of every file handle the driver pools, so that a copy can be renamed or deleted.</summary>
    void ReleaseFiles();
}
