namespace Nexus.Core.Dialects.Postgres;

/// <summary>The server dialect loads through staging tables where it is safe (see <see cref="PostgresStagingSql"/>).</summary>
internal sealed partial class PostgresDialect
{
    public IStagingSql? Staging { get; } = new PostgresStagingSql();
}
