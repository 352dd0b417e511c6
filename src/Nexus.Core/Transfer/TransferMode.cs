namespace Nexus.Core.Transfer;

/// <summary>What to do with a destination that already holds rows.</summary>
public enum TransferMode
{
    /// <summary>Refuse a destination that holds any row.</summary>
    EmptyOnly,

    /// <summary>Upsert by natural key; the source's values win, the destination keeps its own ids.</summary>
    Merge,

    /// <summary>Delete every row of the destination first (in the same transaction as the load).</summary>
    Replace,
}
