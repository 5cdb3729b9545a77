using Akka.Configuration;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Recording;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class RecorderSettingsTests
{
    private static string ReferenceConf()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "hocon", "reference.conf");
            if (File.Exists(candidate)) return File.ReadAllText(candidate);
        }
        throw new InvalidOperationException("hocon/reference.conf not found");
    }

    /// <summary>
    /// reference.conf without its environment overrides: Akka's HOCON parser (1.5.74) closes the enclosing
    /// object at an unresolved optional substitution (`x = ${?VAR}`), dropping every later key. The
    /// node's config loader has to deal with that; this test is about the recorder block.
    /// </summary>
    private static Config ReferenceWithoutEnvironment() =>
        ConfigurationFactory.ParseString(string.Join("\n", ReferenceConf().Split('\n').Where(l => !l.Contains("${?"))));

    [Fact]
    public void The_reference_configuration_gives_the_documented_defaults()
    {
        RecorderSettings s = RecorderSettings.FromConfig(ReferenceWithoutEnvironment());
        Assert.True(s.Enabled);
        Assert.Equal("recordings", s.Directory);
        Assert.Equal(new[] { RecordingFormat.Bdf, RecordingFormat.Csv }, s.Formats);
        Assert.Equal("{date}_{time}_{subject}_{session}", s.FileNamePattern);
        Assert.Equal(TimeSpan.FromSeconds(1), s.RecordDuration);
        Assert.Equal(4, s.BufferSeconds);
        Assert.Equal(TimeSpan.FromSeconds(2), s.StallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), s.CheckpointInterval);
        Assert.Equal(RecorderSettings.Default with { Formats = s.Formats }, s);
        Assert.Equal(4000, s.RecordSamples(4000));
    }

    [Fact]
    public void Every_recorder_key_in_the_reference_configuration_has_a_sentence_above_it()
    {
        string[] lines = ReferenceConf().Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimEnd() == "recorder {");
        Assert.True(start > 0);
        for (int i = start + 1; i < lines.Length && lines[i].Trim() != "}"; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.Contains("${?")) continue;
            int j = i - 1;
            while (lines[j].Contains("${?") || (lines[j].Trim().Length > 0 && !lines[j].Trim().StartsWith('#') && lines[j].Trim().Split('=')[0].Trim() == line.Split('=')[0].Trim())) j--;
            Assert.True(lines[j].Trim().StartsWith('#'), $"no comment above '{line}'");
        }
    }

    [Theory]
    [InlineData("formats = [bdf, wav]", "recorder.formats = \"wav\" is not allowed: bdf or csv, e.g. [bdf, csv]")]
    [InlineData("formats = []", "recorder.formats = \"[]\" is not allowed: at least one of bdf and csv")]
    [InlineData("formats = [csv, csv]", "recorder.formats = \"csv\" is not allowed: each format once")]
    [InlineData("buffer-seconds = 1", "recorder.buffer-seconds = \"1\" is not allowed: seconds from 3 to 120 (3 s covers an SD card's 2 s stall)")]
    [InlineData("buffer-seconds = lots", "recorder.buffer-seconds = \"lots\" is not allowed: a number")]
    [InlineData("record-duration = 0s", "recorder.record-duration = \"0s\" is not allowed: a duration above 0 and at most 60s, e.g. 1s")]
    [InlineData("stall-timeout = soon", "recorder.stall-timeout = \"soon\" is not allowed: a duration such as 1s or 250ms")]
    [InlineData("enabled = maybe", "recorder.enabled = \"maybe\" is not allowed: on or off")]
    [InlineData("file-name-pattern = \"{date}_{subject}\"", "recorder.file-name-pattern = \"{date}_{subject}\" is not allowed: a pattern containing {time}, so two recordings do not get the same name")]
    [InlineData("file-name-pattern = \"{time}_{user}\"", "recorder.file-name-pattern = \"{time}_{user}\" is not allowed: only the tokens {date} {time} {subject} {session}")]
    [InlineData("file-name-pattern = \"../{time}\"", "recorder.file-name-pattern = \"../{time}\" is not allowed: a file name without path separators or invalid characters")]
    [InlineData("checkpoint-interval = 1ms", "recorder.checkpoint-interval = \"1ms\" is not allowed: a duration from 50ms to 1m, e.g. 1s")]
    public void A_bad_value_gives_one_line_naming_the_key_the_value_and_what_is_allowed(string setting, string message)
    {
        var e = Assert.Throws<ConfigException>(() => RecorderSettings.FromConfig(ConfigurationFactory.ParseString($"recorder {{ {setting} }}")));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_record_duration_without_a_whole_number_of_samples_is_refused_at_start()
    {
        RecorderSettings s = RecorderSettings.FromConfig(ConfigurationFactory.ParseString("recorder { record-duration = 3ms }"));
        var e = Assert.Throws<ConfigException>(() => s.RecordSamples(250));
        Assert.Equal("recorder.record-duration = \"0.003s\" is not allowed: a duration holding a whole number of samples at 250 SPS, e.g. 1s", e.Message);
    }

    [Fact]
    public void File_names_use_date_time_and_safe_subject_and_session()
    {
        RecorderSettings s = RecorderSettings.Default;
        Assert.Equal("20261127_083000_S_01_nosession", s.FileName(new DateTime(2026, 11, 27, 8, 30, 0, DateTimeKind.Utc), "S/01", null));
        Assert.Equal("20261127_083000_nosubject_ses-2", s.FileName(new DateTime(2026, 11, 27, 8, 30, 0, DateTimeKind.Utc), " ", "ses-2"));
    }
}
