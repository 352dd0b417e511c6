namespace Nexus.Core.Dialects;

/// <summary>Loads through staging tables and a swap (Transfer/StagingSink).</summary>
internal partial interface ISqlDialect
{
    /// <summary>The staging part, or null when the provider loads only in one transaction.</summary>
    IStagingSql? Staging { get; }
}
