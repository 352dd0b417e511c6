namespace Nexus.Core.Dialects;

/// <summary>
/// The dialect's parts, grouped by the folder that asks for them: everything a database does
/// differently is reached from the one <see cref="ISqlDialect"/> that <see cref="SqlDialects.For"/> gives.
/// </summary>
internal partial interface ISqlDialect
{
    /// <summary>The store engines' statements (Engines/: records, attributes, chunks).</summary>
    IStoreSql Store { get; }

    /// <summary>The operations engines' pieces (Health/: checks, store information, rehearsal).</summary>
    IOperationsSql Operations { get; }
}
