namespace Nexus.Core.Store;

/// <summary>
/// Attributes to set on one record (key → JSON text), or, for a removal, the keys to remove (the
/// JSON text is then unused). One piped item of Set- or Remove-NexusAttribute.
/// </summary>
/// <param name="Tenant">The record's tenant.</param>
/// <param name="Path">The record's virtual path.</param>
/// <param name="Values">The attributes, in the order given (a repeated key: the last one wins).</param>
public sealed record AttributeChange(string Tenant, string Path, IReadOnlyList<KeyValuePair<string, string>> Values);
