using System.Text;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Tests.Lake;

/// <summary>docs/lake.md lists every table with exactly the columns the Glue tables are built from.</summary>
public sealed class LakeDocTests
{
    public static TheoryData<string> Tables =>
    [
        ReadingsCatalog.RawTableName, ReadingsCatalog.RawEventsTableName, ReadingsCatalog.RawForecastsTableName,
        ReadingsCatalog.CuratedTableName, ReadingsCatalog.CuratedEventsTableName, ReadingsCatalog.CuratedForecastsTableName,
    ];

    [Theory]
    [MemberData(nameof(Tables))]
    public void Lake_doc_lists_the_glue_columns_when_the_data_team_reads_it(string table)
    {
        var doc = File.ReadAllText(RepoFiles.PathOf("docs", "lake.md")).ReplaceLineEndings("\n");
        Assert.Contains($"### `{table}`\n", doc, StringComparison.Ordinal);
        var section = doc[doc.IndexOf($"### `{table}`\n", StringComparison.Ordinal)..];
        Assert.StartsWith(Render(table), section[(section.IndexOf("| Column", StringComparison.Ordinal))..], StringComparison.Ordinal);
    }

    [Fact]
    public void Grams_mean_one_thing_everywhere_when_documented()
    {
        var grams = ReadingColumns.Columns.Single(c => c.Name == "grams").Comment;
        Assert.Contains("tray included", grams, StringComparison.Ordinal);
        foreach (var file in new[] { "docs/data-contract.md", "docs/data-contract.schema.json", "docs/lake.md" })
        {
            var text = File.ReadAllText(RepoFiles.PathOf(file.Split('/')));
            Assert.DoesNotContain("Net grams", text, StringComparison.Ordinal);
            Assert.Contains("TareGrams", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The Markdown table of a Glue table's columns, as docs/lake.md carries it.</summary>
    public static string Render(string table)
    {
        var (columns, last) = table switch
        {
            ReadingsCatalog.RawTableName => (ReadingColumns.Columns, ReadingColumns.ArrivalDay),
            ReadingsCatalog.RawEventsTableName => (ActivityColumns.Columns, ReadingColumns.ArrivalDay),
            ReadingsCatalog.RawForecastsTableName => (ForecastColumns.Columns, ReadingColumns.ArrivalDay),
            ReadingsCatalog.CuratedTableName => (ReadingColumns.Columns, ReadingColumns.RowDay),
            ReadingsCatalog.CuratedEventsTableName => (ActivityColumns.Columns, ReadingColumns.RowDay),
            ReadingsCatalog.CuratedForecastsTableName => (ForecastColumns.Columns, ReadingColumns.RowDay),
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        var text = new StringBuilder("| Column | Type | Meaning |\n| --- | --- | --- |\n");
        foreach (var c in columns.Append(last))
        {
            text.Append($"| `{c.Name}` | {c.Type} | {c.Comment.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return text.ToString();
    }
}
