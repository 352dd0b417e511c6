using System.Management.Automation;
using Nexus.Core.Transfer;

namespace Nexus.PowerShell;

/// <summary>
/// The base of the cmdlets that load rows into a store (Copy- and Import-NexusData): what to do
/// with a destination that already holds rows (refuse, -Merge or -Force), one parameter set each.
/// </summary>
public abstract class StoreLoadingCmdlet : TransferCmdlet
{
    /// <summary>The parameter set that refuses a destination holding rows (the default).</summary>
    protected const string EmptySet = "Empty";

    /// <summary>The -Merge parameter set.</summary>
    protected const string MergeSet = "Merge";

    /// <summary>The -Force parameter set.</summary>
    protected const string ForceSet = "Force";

    /// <summary>Upsert into a non-empty destination by natural key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MergeSet)]
    public SwitchParameter Merge { get; set; }

    /// <summary>Delete every row of the destination first (in the same transaction).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ForceSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// NaN, Infinity or -Infinity in the source's attribute values: Refuse (the default) before
    /// writing anything, naming every path and key; or store each AsString, reporting each.
    /// </summary>
    [Parameter]
    public NonFiniteNumberPolicy NonFiniteNumbers { get; set; } = NonFiniteNumberPolicy.Refuse;

    /// <summary>The transfer mode -Merge and -Force select.</summary>
    protected TransferMode Mode => Force ? TransferMode.Replace : Merge ? TransferMode.Merge : TransferMode.EmptyOnly;

    /// <summary>The options of a load: the mode and -NonFiniteNumbers, with what every transfer takes.</summary>
    protected TransferOptions LoadOptions => Options(Mode, nonFiniteNumbers: NonFiniteNumbers);

    /// <summary>The ShouldProcess action text for the mode.</summary>
    protected string Action(string replace, string merge, string load) => Force ? replace : Merge ? merge : load;

    /// <summary>
    /// Replacing a destination's rows (-Force) is high impact: unless -Confirm:$false was given,
    /// ask (in a non-interactive session that means: pass -Confirm:$false). True without -Force.
    /// </summary>
    protected bool ConfirmedReplace(string destination)
    {
        // -Confirm (either way) means ShouldProcess has already asked, or was told not to.
        if (!Force || MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return true;
        }

        return ShouldContinue($"Every row of {destination} will be deleted and replaced. Continue?", "Replace the destination's contents");
    }
}
