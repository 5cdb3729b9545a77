using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Pipeline.Core.Configuration;

/// <summary>The strict check that keeps Akka's lenient (and, on some inputs, endless) parser away from bad text.</summary>
public sealed class HoconSyntaxTests
{
    [Theory]
    [InlineData("a = [1,\n2,\n}", "line 3, column 1: expected a list element or ']' in \"a\", found '}'")]
    [InlineData("a { b = 1", "line 1, column 10: the '{' at line 1, column 3 is never closed")]
    [InlineData("a = \"open", "line 1, column 5: this string is not closed on its line (a '\"' is missing)")]
    [InlineData("a = 1 }", "line 1, column 7: unexpected '}': no '{' is open here")]
    [InlineData("a = ", "line 1, column 5: expected a value for \"a\", found the end of the file")]
    [InlineData("a = akka.tcp://sys@host:1", "line 1, column 13: expected a new line, ',' or '}' after the value of \"a\", found ':'")]
    [InlineData("a..b = 1", "line 1, column 1: the key \"a..b\" has an empty part (a '.' at its start, its end or twice)")]
    [InlineData("include \"other.conf\"", "line 1, column 1: include is not supported: put the keys in this file or layer files with --config")]
    [InlineData("a = \u0001", "line 1, column 5: expected a value for \"a\", found the character U+0001")]
    [InlineData("a = ${b", "line 1, column 5: this ${ substitution is not closed with '}'")]
    [InlineData("a = x ${?B}", "line 1, column 7: ${?VAR} is supported only as a whole value: key = ${?VAR}")]
    [InlineData("a = ${?B} x", "line 1, column 5: ${?VAR} is supported only as a whole value: key = ${?VAR}")]
    public void A_mistake_is_reported_with_its_line_and_column(string text, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, "test"));
        Assert.Equal("test is not valid HOCON: " + expected, error.Message);
    }

    [Fact]
    public void The_forms_the_lab_files_use_are_accepted()
    {
        const string text = """"
            // comments of both kinds
            akka {
              loglevel = INFO   # trailing comment
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 4053 }
              cluster.seed-nodes = ["akka.tcp://eeg@127.0.0.1:4053", "akka.tcp://eeg@127.0.0.1:4054",]
            }
            pipeline {
              dsp.notch.frequency-hz: 60
              names = [
                Fp1
                Fp2
              ]
              text = hello world
              quoted = "tab\there \u00e9"
              long = """several
            lines"""
              copy = ${pipeline.dsp.notch.frequency-hz}
              list += 3
              empty {}
            }
            """";
        var config = ConfigLoader.Parse(text, "test");
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("hello world", config.GetString("pipeline.text"));
        Assert.Equal(new[] { "Fp1", "Fp2" }, config.GetStringList("pipeline.names"));
        Assert.Equal(2, config.GetStringList("akka.cluster.seed-nodes").Count);
        Assert.Equal("60", config.GetString("pipeline.copy"));
        Assert.Equal("tab\there \u00e9", config.GetString("pipeline.quoted"));
        Assert.Equal("several\nlines", config.GetString("pipeline.long"));
    }

    [Fact]
    public void A_whole_value_substitution_is_quoted_when_set_and_its_field_dropped_when_not()
    {
        const string text = "a = 1\na = ${?SET}\nb = 2\nb = ${?UNSET}\nc { d = ${?SET} }";
        var config = ConfigLoader.Parse(text, "test", name => name == "SET" ? "x \"y\"" : null);
        Assert.Equal("x \"y\"", config.GetString("a"));
        Assert.Equal("2", config.GetString("b"));
        Assert.Equal("x \"y\"", config.GetString("c.d"));
    }

    [Fact]
    public void A_substitution_of_a_key_from_another_layer_is_one_line_not_an_akka_exception()
    {
        // Each layer is parsed alone, so a file cannot refer to reference.conf's keys.
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, "pipeline.channels = ${pipeline.sample-rate}", _ => null));
        Assert.Equal("the command-line settings is not valid HOCON: Unresolved substitution: pipeline.sample-rate", error.Message);
    }

    [Fact]
    public void The_embedded_reference_conf_passes_the_check()
    {
        var config = ConfigLoader.Parse(ConfigLoader.ReferenceText, "reference.conf");
        Assert.Equal("simulated", config.GetString("pipeline.source"));
    }
}
