using Nexus.Core.Connection;

namespace Nexus.Core.Dialects;

internal partial interface ISqlDialect
{
    /// <summary>The timeouts and pool bounds a target's connection string sets (or the driver's defaults).</summary>
    StoreLimits ReadLimits(StoreTarget target);
}
