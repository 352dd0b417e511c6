using Nexus.Core.Dialects;

namespace Nexus.Core.Health;

/// <summary>Turns what a check found (rows and a sentence) into its <see cref="HealthCheckResult"/>.</summary>
internal static class CheckResults
{
    /// <summary>
    /// A Warn when the check could not run in full, a Pass when it found no rows, else
    /// <paramref name="whenFound"/> with the rows.
    /// </summary>
    public static HealthCheckResult From(string check, HealthStatus whenFound, CheckFinding finding) =>
        finding.Incomplete
            ? new HealthCheckResult { Check = check, Status = HealthStatus.Warn, Details = finding.Details }
            : finding.Rows.Count == 0
                ? new HealthCheckResult { Check = check, Status = HealthStatus.Pass, Details = finding.Details }
                : new HealthCheckResult { Check = check, Status = whenFound, Details = finding.Details, Rows = finding.Rows.Rows, RowCount = finding.Rows.Count };

    /// <summary>A result: <paramref name="whenFound"/> with the rows when there are any, else a Pass.</summary>
    public static HealthCheckResult ToResult(this RowSample sample, string check, HealthStatus whenFound, string passDetails, Func<long, string> foundDetails) =>
        From(check, whenFound, sample.Finding(passDetails, foundDetails));
}
