namespace Nexus.PowerShell;

/// <summary>
/// -NonFiniteNumbers of Invoke-NexusMigration (adoption), Copy-NexusData and Import-NexusData: what
/// to do with NaN, Infinity and -Infinity in attribute values (the original system wrote them).
/// Declared here, not in Nexus.Core, because PowerShell reads parameter types when it imports the
/// module, before Nexus.Core can be resolved.
/// </summary>
public enum NonFiniteNumberPolicy
{
    /// <summary>Refuse the store or the transfer, naming every path and key that holds one; nothing is changed.</summary>
    Refuse,

    /// <summary>Store each as the JSON string "NaN", "Infinity" or "-Infinity", naming every path and key changed.</summary>
    AsString,
}
