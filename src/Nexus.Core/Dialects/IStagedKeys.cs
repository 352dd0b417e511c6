using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>
/// The keys and indexes taken off the staging tables, rebuilt table by table: each index
/// (a key's too) is a separate build that may run beside the others, then the keys are attached
/// to their indexes, then the foreign keys are added.
/// </summary>
internal interface IStagedKeys
{
    /// <summary>The names of <paramref name="table"/>'s index builds.</summary>
    IReadOnlyList<string> Builds(string table);

    /// <summary>Builds one index of <see cref="Builds"/> (takes no lock that stops reads or other builds).</summary>
    void Build(DbConnection stagingConnection, string table, string name);

    /// <summary>Makes <paramref name="table"/>'s primary and unique keys of the indexes built for them (brief).</summary>
    void AttachKeys(DbConnection stagingConnection, string table);

    /// <summary>Builds the foreign keys of <paramref name="table"/> (its parents' keys must be attached).</summary>
    void BuildForeignKeys(DbConnection stagingConnection, string table);
}
