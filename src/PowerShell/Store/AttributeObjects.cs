using System.Management.Automation;

namespace Nexus.PowerShell;

/// <summary>All attributes of a record as one object: a property per key, in byte-wise key order.</summary>
internal static class AttributeObjects
{
    public static PSObject From(IReadOnlyList<KeyValuePair<string, string>> attributes, AttributeDateKind dateKind = AttributeDateKind.DateTime)
    {
        var result = new PSObject();
        foreach (var (key, json) in attributes)
        {
            result.Properties.Add(new PSNoteProperty(key, AttributeJsonReader.FromJson(json, dateKind)));
        }

        return result;
    }
}
