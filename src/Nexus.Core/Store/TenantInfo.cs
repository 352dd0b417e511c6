namespace Nexus.Core.Store;

/// <summary>A tenant that holds records (Get-NexusTenant): stores adopted from the original system hold many.</summary>
/// <param name="Tenant">The tenant id.</param>
/// <param name="Records">Its live records.</param>
/// <param name="DeletedRecords">Its soft-deleted records.</param>
public sealed record TenantInfo(string Tenant, long Records, long DeletedRecords);
