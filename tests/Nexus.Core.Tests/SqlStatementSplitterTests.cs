using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.Core.Tests;

/// <summary>
/// Migration scripts split into statements: semicolons in quotes, comments, dollar quotes and
/// trigger bodies do not split; statements come back trimmed; empty and comment-only ones go.
/// Expected statements are written joined by " | ".
/// </summary>
public class SqlStatementSplitterTests
{
    private static string Split(string script) => string.Join(" | ", SqlStatementSplitter.Split(script));

    [Theory]
    [InlineData("", "")]
    [InlineData("   \n\t ", "")]
    [InlineData(";", "")]
    [InlineData(";;; ;\n;", "")]
    [InlineData("SELECT 1", "SELECT 1")]
    [InlineData("SELECT 1;", "SELECT 1")]
    [InlineData("SELECT 1;SELECT 2", "SELECT 1 | SELECT 2")]
    [InlineData("  SELECT 1 ;\n\n  SELECT 2 ;  ", "SELECT 1 | SELECT 2")]
    [InlineData("a;;b", "a | b")]
    [InlineData("CREATE TABLE t (\n  id INTEGER\n);\nINSERT INTO t VALUES (1);", "CREATE TABLE t (\n  id INTEGER\n) | INSERT INTO t VALUES (1)")]
    public void Semicolons_end_statements(string script, string expected)
    {
        Assert.Equal(expected, Split(script));
    }

    [Theory]
    [InlineData("SELECT ';'; SELECT 2", "SELECT ';' | SELECT 2")]
    [InlineData("SELECT 'it''s; fine'; b", "SELECT 'it''s; fine' | b")]
    [InlineData("SELECT '''';b", "SELECT '''' | b")]
    [InlineData("SELECT '';b", "SELECT '' | b")]
    [InlineData("SELECT \"col;umn\" FROM t; b", "SELECT \"col;umn\" FROM t | b")]
    [InlineData("SELECT \"a\"\"b;\"; b", "SELECT \"a\"\"b;\" | b")]
    [InlineData("SELECT `x;y`; b", "SELECT `x;y` | b")]
    [InlineData("SELECT '--not a comment;'; b", "SELECT '--not a comment;' | b")]
    [InlineData("SELECT '/*;*/'; b", "SELECT '/*;*/' | b")]
    [InlineData("SELECT '$$;'; b", "SELECT '$$;' | b")]
    [InlineData("SELECT \"it's;\"; b", "SELECT \"it's;\" | b")]
    [InlineData("SELECT 'a\nb;c'; d", "SELECT 'a\nb;c' | d")]
    [InlineData("SELECT 'unterminated; b", "SELECT 'unterminated; b")] // runs to the end, never splits inside
    public void Quotes_keep_their_semicolons(string script, string expected)
    {
        Assert.Equal(expected, Split(script));
    }

    [Theory]
    [InlineData("SELECT 1 -- one; two\n; SELECT 2", "SELECT 1 -- one; two | SELECT 2")]
    [InlineData("SELECT 1 /* a; b */; SELECT 2", "SELECT 1 /* a; b */ | SELECT 2")]
    [InlineData("SELECT /* multi\nline; comment */ 1; b", "SELECT /* multi\nline; comment */ 1 | b")]
    [InlineData("SELECT 1 /* unterminated; b", "SELECT 1 /* unterminated; b")]
    [InlineData("-- Description: first\n-- more; text\nCREATE TABLE t (id int);", "-- Description: first\n-- more; text\nCREATE TABLE t (id int)")]
    [InlineData("SELECT 1; -- trailing comment", "SELECT 1")]
    [InlineData("-- only a comment", "")]
    [InlineData("-- one;\n-- two;\n", "")]
    [InlineData("SELECT 1; -- x\n -- y\n; SELECT 2", "SELECT 1 | SELECT 2")]
    [InlineData("SELECT 1 - -1; b", "SELECT 1 - -1 | b")]
    [InlineData("SELECT 4/2; b", "SELECT 4/2 | b")]
    [InlineData("SELECT '--'||'x' -- c'\n; b", "SELECT '--'||'x' -- c' | b")] // a quote in a comment opens nothing
    public void Comments_keep_their_semicolons_and_comment_only_statements_go(string script, string expected)
    {
        Assert.Equal(expected, Split(script));
    }

    [Theory]
    [InlineData("DO $$ BEGIN PERFORM 1; PERFORM 2; END $$; SELECT 3", "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$ | SELECT 3")]
    [InlineData("CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql; b", "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql | b")]
    [InlineData("DO $a$ x $$ ; $$ y; $a$; b", "DO $a$ x $$ ; $$ y; $a$ | b")] // an inner $$ does not close $a$
    [InlineData("DO $_x1$ ; $_x1$; b", "DO $_x1$ ; $_x1$ | b")]
    [InlineData("DO $$ it's; $$; b", "DO $$ it's; $$ | b")] // a quote inside a dollar quote opens nothing
    [InlineData("DO $$ -- ; \n $$; b", "DO $$ -- ; \n $$ | b")]
    [InlineData("SELECT $1; SELECT $2", "SELECT $1 | SELECT $2")] // parameters are not tags
    [InlineData("SELECT $1$; b", "SELECT $1$ | b")] // a tag cannot start with a digit
    [InlineData("DO $$ unterminated; b", "DO $$ unterminated; b")]
    [InlineData("SELECT json_extract(v, '$.a'); b", "SELECT json_extract(v, '$.a') | b")]
    [InlineData("SELECT a$b; c", "SELECT a$b | c")]
    public void Dollar_quotes_keep_their_semicolons(string script, string expected)
    {
        Assert.Equal(expected, Split(script));
    }

    [Theory]
    [InlineData(
        "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET a = 1; DELETE FROM z; END; SELECT 1",
        "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET a = 1; DELETE FROM z; END | SELECT 1")]
    [InlineData(
        "create temp trigger t after delete on x begin delete from y; end;",
        "create temp trigger t after delete on x begin delete from y; end")]
    [InlineData(
        "CREATE TEMPORARY TRIGGER t BEFORE UPDATE ON x BEGIN SELECT 1; END; b",
        "CREATE TEMPORARY TRIGGER t BEFORE UPDATE ON x BEGIN SELECT 1; END | b")]
    [InlineData(
        "CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON x\nBEGIN\n  INSERT INTO log VALUES ('begin;end');\nEND;\nb",
        "CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON x\nBEGIN\n  INSERT INTO log VALUES ('begin;end');\nEND | b")]
    [InlineData("BEGIN; SELECT 1; COMMIT;", "BEGIN | SELECT 1 | COMMIT")] // a transaction BEGIN is no body
    [InlineData("BEGIN TRANSACTION; END;", "BEGIN TRANSACTION | END")]
    [InlineData("SELECT beginning, ended FROM t; b", "SELECT beginning, ended FROM t | b")]
    [InlineData("CREATE TABLE trigger_log (x); BEGIN; b", "CREATE TABLE trigger_log (x) | BEGIN | b")]
    public void Trigger_bodies_keep_their_semicolons(string script, string expected)
    {
        Assert.Equal(expected, Split(script));
    }

    [Fact]
    public void A_CASE_inside_a_trigger_body_does_not_end_the_body()
    {
        const string trigger = "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET a = CASE WHEN new.v THEN 1 ELSE 0 END; DELETE FROM z; END";

        Assert.Equal(trigger + " | SELECT 2", Split(trigger + "; SELECT 2"));
    }

    [Fact]
    public void A_block_comment_alone_is_no_statement()
    {
        Assert.Equal("SELECT 1", Split("/* header; notes */; SELECT 1"));
    }

    public static TheoryData<StoreProvider, string> EmbeddedScripts()
    {
        var data = new TheoryData<StoreProvider, string>();
        foreach (var provider in new[] { StoreProvider.Sqlite, StoreProvider.PostgreSql })
        {
            foreach (var migration in MigrationCatalog.For(provider).Migrations)
            {
                data.Add(provider, migration.Id + ".up");
                data.Add(provider, migration.Id + ".down");
            }
        }

        return data;
    }

    // Every shipped script splits into trimmed statements, none empty, none holding a split-off
    // piece of another: rejoined, they give the script back (up to white space, semicolons and comments).
    [Theory]
    [MemberData(nameof(EmbeddedScripts))]
    public void The_shipped_scripts_split_cleanly(StoreProvider provider, string script)
    {
        var migration = MigrationCatalog.For(provider).Find(script[..4])!;
        var text = script.EndsWith(".up") ? migration.UpScript : migration.DownScript!;

        var statements = SqlStatementSplitter.Split(text);

        Assert.NotEmpty(statements);
        Assert.All(statements, s =>
        {
            Assert.Equal(s.Trim(), s);
            Assert.False(s.EndsWith(';'), s);
        });
        Assert.Equal(Squeeze(text), Squeeze(string.Join(";\n", statements)));
    }

    private static string Squeeze(string sql) =>
        new(string.Join("\n", sql.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("--", StringComparison.Ordinal)))
            .Where(c => !char.IsWhiteSpace(c) && c != ';').ToArray());
}
