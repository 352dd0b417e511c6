namespace Nexus.Core.Migrations;

/// <summary>What adoption does with NaN, Infinity and -Infinity in the original's attribute values (-NonFiniteNumbers).</summary>
public enum NonFiniteNumbers
{
    /// <summary>Refuse the store, naming every path and key that holds one; nothing is changed.</summary>
    Refuse,

    /// <summary>Store each as the JSON string "NaN", "Infinity" or "-Infinity", naming every path and key changed.</summary>
    AsString,
}
