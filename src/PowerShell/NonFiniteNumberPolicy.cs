namespace Nexus.PowerShell;

/// <summary>
/// Invoke-NexusMigration -NonFiniteNumbers: what adoption does with NaN, Infinity and -Infinity in
/// the original's attribute values. Declared here, not in Nexus.Core, because PowerShell reads
/// parameter types when it imports the module, before Nexus.Core can be resolved.
/// </summary>
public enum NonFiniteNumberPolicy
{
    /// <summary>Refuse the store, naming every path and key that holds one; nothing is changed.</summary>
    Refuse,

    /// <summary>Store each as the JSON string "NaN", "Infinity" or "-Infinity", naming every path and key changed.</summary>
    AsString,
}
