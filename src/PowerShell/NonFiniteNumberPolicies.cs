namespace Nexus.PowerShell;

/// <summary>Turns the parameter value into the policy Nexus.Core takes.</summary>
internal static class NonFiniteNumberPolicies
{
    public static Core.Migrations.NonFiniteNumbers ToCore(this NonFiniteNumberPolicy policy) =>
        policy == NonFiniteNumberPolicy.AsString ? Core.Migrations.NonFiniteNumbers.AsString : Core.Migrations.NonFiniteNumbers.Refuse;
}
