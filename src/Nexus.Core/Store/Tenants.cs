namespace Nexus.Core.Store;

/// <summary>
/// Tenants partition the store: two tenants may hold the same path. A tenant is 1–36 characters
/// (a UUID as the original system used, or a plain name such as "acme").
/// </summary>
public static class Tenants
{
    /// <summary>
    /// The tenant every cmdlet uses without -Tenant. Fixed and documented, so that records written
    /// without a tenant can always be found again (the original system made a new random one per file).
    /// </summary>
    public const string Default = "00000000-0000-0000-0000-000000000000";

    /// <summary>The longest tenant id the schema holds (varchar(36)).</summary>
    public const int MaxLength = 36;

    /// <summary>
    /// -Tenant * on the listing cmdlets: every tenant at once. Never a tenant of its own, so a write
    /// cannot land in a tenant named '*' by mistake.
    /// </summary>
    public const string All = "*";

    /// <summary>Returns the tenant, or throws an InvalidArgument error naming it.</summary>
    public static string Validate(string? tenant)
    {
        if (tenant == All)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                "-Tenant * (all tenants) only lists records (Get-NexusMetadata -Prefix, Get-NexusTenant). Give one tenant to read or change a record.", tenant);
        }

        if (string.IsNullOrWhiteSpace(tenant))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                "The tenant is empty.", tenant, hint: "Give 1 to 36 characters, or leave -Tenant out to use the default tenant " + Default + ".");
        }

        var problem = TextRules.Problem(tenant, MaxLength);
        if (problem is not null)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The tenant '{TextRules.Printable(tenant)}' {problem}. A tenant is 1 to {MaxLength} printable characters.", tenant);
        }

        return tenant;
    }
}
