using DbUp.Engine.Output;

namespace Nexus.Core.Migrations;

/// <summary>Sends DbUp's log lines to a callback (the cmdlet's -Verbose stream).</summary>
internal sealed class UpgradeLogAdapter : IUpgradeLog
{
    private readonly Action<string> _write;

    public UpgradeLogAdapter(Action<string>? write) => _write = write ?? (_ => { });

    public void LogTrace(string format, params object[] args) { }

    public void LogDebug(string format, params object[] args) { }

    public void LogInformation(string format, params object[] args) => _write(Format(format, args));

    public void LogWarning(string format, params object[] args) => _write("warning: " + Format(format, args));

    public void LogError(string format, params object[] args) => _write("error: " + Format(format, args));

    public void LogError(Exception ex, string format, params object[] args) => _write("error: " + Format(format, args));

    private static string Format(string format, object[] args)
    {
        try
        {
            return args.Length == 0 ? format : string.Format(format, args);
        }
        catch (FormatException)
        {
            return format;
        }
    }
}
