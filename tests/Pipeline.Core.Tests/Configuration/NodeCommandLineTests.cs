using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Pipeline.Core.Configuration;

public sealed class NodeCommandLineTests
{
    [Fact]
    public void No_arguments_means_run_the_node_with_the_defaults()
    {
        NodeCommandLine line = NodeCommandLine.Parse([]);
        Assert.Null(line.Command);
        Assert.Null(line.ConfigFile);
        Assert.Empty(line.Options);
        Assert.Empty(line.Positionals);
    }

    [Fact]
    public void The_filter_command_takes_its_files_and_a_config()
    {
        NodeCommandLine line = NodeCommandLine.Parse(["filter", "--in", "IN.csv", "--out", "OUT.csv", "--config", "lab.conf"]);
        Assert.Equal("filter", line.Command);
        Assert.Equal("lab.conf", line.ConfigFile);
        Assert.Equal(new Dictionary<string, string> { ["in"] = "IN.csv", ["out"] = "OUT.csv" }, line.Options);
        Assert.Equal("IN.csv", line.Option("in"));
        Assert.Null(line.Option("missing"));
    }

    [Fact]
    public void Options_before_the_command_and_equals_forms_are_read_too()
    {
        NodeCommandLine line = NodeCommandLine.Parse(["--config=a.conf", "verify", "rec.bdf", "--strict", "--", "--not-an-option"]);
        Assert.Equal("verify", line.Command);
        Assert.Equal("a.conf", line.ConfigFile);
        Assert.True(line.Flag("strict"));
        Assert.False(line.Flag("quiet"));
        Assert.Equal(new[] { "rec.bdf", "--not-an-option" }, line.Positionals);
    }

    [Fact]
    public void A_flag_before_another_option_is_a_boolean_and_a_dash_value_is_a_value()
    {
        NodeCommandLine line = NodeCommandLine.Parse(["convert", "--fast", "--offset", "-5", "--out", "-"]);
        Assert.Equal(new Dictionary<string, string> { ["fast"] = "true", ["offset"] = "-5", ["out"] = "-" }, line.Options);
    }

    [Theory]
    [InlineData(new[] { "-x" }, "'-x' is not an option: options are --name value, --name=value or --flag")]
    [InlineData(new[] { "---x" }, "'---x' is not an option: options are --name value, --name=value or --flag")]
    [InlineData(new[] { "--a b" }, "'--a b' is not an option: an option name has letters, digits, '-', '_' or '.'")]
    [InlineData(new[] { "--config" }, "--config needs a file: --config FILE")]
    [InlineData(new[] { "--config", "a", "--config", "b" }, "--config is given twice ('a' and 'b')")]
    [InlineData(new[] { "filter", "--in", "a", "--in", "b" }, "--in is given twice ('a' and 'b')")]
    public void An_unknown_shape_is_one_clear_line(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => NodeCommandLine.Parse(args));
        Assert.Equal(expected, error.Message);
    }
}
