using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>Small helpers so that every statement is parameterized and short to write.</summary>
internal static class CommandExtensions
{
    public static DbCommand CreateCommand(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        CallDeadline.MarkProgress();   // a new statement: the one before it was answered
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static int Execute(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand(sql, transaction);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of every row a query returns, as strings.</summary>
    public static IReadOnlyList<string> Strings(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand(sql, transaction);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public static T? Scalar<T>(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand(sql, transaction);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }
}
