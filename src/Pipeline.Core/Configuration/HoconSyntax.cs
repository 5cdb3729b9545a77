using System.Globalization;

namespace Eeg.Pipeline.Configuration;

/// <summary>
/// A strict syntax check of HOCON text, run before Akka's parser sees it.
/// </summary>
/// <remarks>
/// Why our own check: Akka.NET 1.5's HOCON parser (Akka.Configuration.ConfigurationFactory) is
/// lenient to the point of being unsafe for user files. Measured with 1.5.74:
/// <c>this is not hocon at all }}}</c> parses without error (a key with an unknown value),
/// <c>a = "unterminated</c> parses, and <c>pipeline { channels = [ }</c> or
/// <c>a = [1,\n2,\n}</c> never return (the parser loops forever). It also turns
/// <c>${?VAR}</c> into an empty value, whether or not VAR is set, and breaks the key after it.
/// So a file passes here first: this walks the HOCON grammar (objects, arrays, quoted and
/// unquoted strings, triple-quoted strings, substitutions, comments, value concatenation) and
/// fails with the line and column of the first mistake. It builds nothing; Akka still builds
/// the tree, so the two parsers cannot disagree on values, only on what is accepted.
/// <c>key = ${?VAR}</c> is resolved here, as the HOCON spec says: when VAR is set the
/// substitution becomes VAR's value as a quoted string, when it is not the field is blanked
/// (so an earlier <c>key = default</c> stands). Only that form, a whole field value, is taken;
/// <c>${?VAR}</c> inside a list or a concatenation is refused. Not accepted on purpose:
/// <c>include</c> (Akka's ParseString has no include resolver).
/// </remarks>
internal sealed class HoconSyntax
{
    private const string ForbiddenUnquoted = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly Func<string, string?> _environment;
    private readonly List<(int Start, int End, string Text)> _edits = new();
    private readonly List<string> _path = new();
    private readonly List<EnvironmentOverride> _variables = new();
    private int _pos;
    private int _arrayDepth;
    private int _wholeValueAt = -1;
    private (int Open, int End, string Name)? _optional;

    private HoconSyntax(string text, Func<string, string?> environment)
    {
        _text = text;
        _environment = environment;
        _pos = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
    }

    /// <summary>The text with every <c>key = ${?VAR}</c> resolved, and the (key, VAR) pairs found outside lists.</summary>
    public sealed record Resolved(string Text, IReadOnlyList<EnvironmentOverride> Variables);

    /// <summary>Throws ConfigException "SOURCE is not valid HOCON: line L, column C: what is wrong".</summary>
    public static void Check(string text, string source) => Resolve(text, source, _ => null);

    /// <summary>Checks <paramref name="text"/> and resolves its <c>key = ${?VAR}</c> fields from <paramref name="environment"/>.</summary>
    public static Resolved Resolve(string text, string source, Func<string, string?> environment)
    {
        var parser = new HoconSyntax(text, environment);
        try
        {
            parser.Document();
        }
        catch (SyntaxError e)
        {
            (int line, int column) = parser.LineColumn(e.Position);
            throw new ConfigException($"{source} is not valid HOCON: line {line}, column {column}: {e.Message}");
        }
        if (parser._edits.Count == 0) return new Resolved(text, parser._variables);
        var result = new System.Text.StringBuilder(text);
        foreach ((int start, int end, string replacement) in parser._edits.OrderByDescending(e => e.Start))
        {
            result.Remove(start, end - start).Insert(start, replacement);
        }
        return new Resolved(result.ToString(), parser._variables);
    }

    private sealed class SyntaxError(int position, string message) : Exception(message)
    {
        public int Position { get; } = position;
    }

    private void Document()
    {
        SkipAll();
        if (Peek() == '{')
        {
            Object();
            SkipAll();
            if (!AtEnd) throw Error($"unexpected {Describe(_pos)} after the closing '}}' of the file");
            return;
        }
        Members(openedAt: -1);
    }

    // After '{' (at _pos): members, then the matching '}'.
    private void Object()
    {
        int open = _pos;
        _pos++;
        Members(open);
        _pos++; // Members returns only at the '}' when open >= 0
    }

    private void Members(int openedAt)
    {
        while (true)
        {
            SkipAll();
            if (AtEnd)
            {
                if (openedAt >= 0) throw Unclosed(openedAt, '{');
                return;
            }
            char c = _text[_pos];
            if (c == '}')
            {
                if (openedAt >= 0) return;
                throw Error("unexpected '}': no '{' is open here");
            }
            if (c == ',') throw Error("unexpected ',': expected a key");
            string key = Field();
            SkipInline();
            if (AtEnd || Peek() == '\n' || Peek() == '}') continue;
            if (Peek() == ',') { _pos++; continue; }
            throw Error($"expected a new line, ',' or '}}' after the value of \"{key}\", found {Describe(_pos)}");
        }
    }

    private string Field()
    {
        if (StartsWithWord("include")) throw Error("include is not supported: put the keys in this file or layer files with --config");
        int fieldStart = _pos;
        string key = Key();
        SkipInline();
        char c = Peek();
        _path.Add(key);
        if (c == '{')
        {
            Object();
        }
        else if (c == '=' || c == ':' || (c == '+' && Peek(1) == '='))
        {
            _pos += c == '+' ? 2 : 1;
            SkipInline();
            _wholeValueAt = _pos;
            Value(key);
            _wholeValueAt = -1;
            if (_optional is { } optional)
            {
                _optional = null;
                Substitute(fieldStart, optional.Open, optional.End, optional.Name);
            }
        }
        else
        {
            throw Error($"expected '=', ':' or '{{' after the key \"{key}\", found {Describe(_pos)}");
        }
        _path.RemoveAt(_path.Count - 1);
        return key;
    }

    // key = ${?VAR}: VAR's value as a quoted string, or no field at all when VAR is not set.
    private void Substitute(int fieldStart, int open, int end, string name)
    {
        if (_arrayDepth == 0) _variables.Add(new EnvironmentOverride(name, string.Join('.', _path)));
        string? value = _environment(name);
        if (value is not null) _edits.Add((open, end, ConfigLoader.Quote(value)));
        else _edits.Add((fieldStart, end, new string(' ', end - fieldStart)));
    }

    private string Key()
    {
        int start = _pos;
        while (!AtEnd)
        {
            char c = _text[_pos];
            if (c == '"')
            {
                if (Peek(1) == '"' && Peek(2) == '"') throw Error("a key cannot be a triple-quoted string");
                QuotedString();
            }
            else if (IsUnquoted(_pos))
            {
                _pos++;
            }
            else
            {
                break;
            }
        }
        if (_pos == start) throw Error($"expected a key, found {Describe(_pos)}");
        string key = _text[start.._pos];
        if (key.StartsWith('.') || key.EndsWith('.') || key.Contains("..", StringComparison.Ordinal))
        {
            throw new SyntaxError(start, $"the key \"{key}\" has an empty part (a '.' at its start, its end or twice)");
        }
        return key;
    }

    // A value: one or more simple values concatenated on one line ("a b c", "${x} s", "[1] [2]").
    private void Value(string key)
    {
        SkipInline();
        if (!StartsValue()) throw Error($"expected a value for \"{key}\", found {Describe(_pos)}");
        int start = _pos;
        while (StartsValue())
        {
            if (_pos != start && _optional is { } optional && optional.Open >= start)
            {
                throw new SyntaxError(optional.Open, "${?VAR} is supported only as a whole value: key = ${?VAR}");
            }
            SimpleValue(key);
            SkipInline();
        }
    }

    private bool StartsValue()
    {
        if (AtEnd) return false;
        char c = _text[_pos];
        return c == '{' || c == '[' || c == '"' || (c == '$' && Peek(1) == '{') || IsUnquoted(_pos);
    }

    private void SimpleValue(string key)
    {
        char c = _text[_pos];
        switch (c)
        {
            case '{':
                Object();
                break;
            case '[':
                Array(key);
                break;
            case '"':
                if (Peek(1) == '"' && Peek(2) == '"') TripleQuotedString();
                else QuotedString();
                break;
            case '$':
                Substitution();
                break;
            default:
                while (IsUnquoted(_pos)) _pos++;
                break;
        }
    }

    private void Array(string key)
    {
        int open = _pos;
        _pos++;
        _arrayDepth++;
        while (true)
        {
            SkipAll();
            if (AtEnd) throw Unclosed(open, '[');
            if (Peek() == ']') { _pos++; _arrayDepth--; return; }
            if (!StartsValue()) throw Error($"expected a list element or ']' in \"{key}\", found {Describe(_pos)}");
            Value(key);
            SkipInline();
            if (Peek() == ',') _pos++;
            else if (!AtEnd && Peek() != '\n' && Peek() != ']')
            {
                throw Error($"expected ',' or ']' in the list \"{key}\", found {Describe(_pos)}");
            }
        }
    }

    private void QuotedString()
    {
        int open = _pos;
        _pos++;
        while (true)
        {
            if (AtEnd || _text[_pos] == '\n') throw new SyntaxError(open, "this string is not closed on its line (a '\"' is missing)");
            char c = _text[_pos];
            if (c == '"') { _pos++; return; }
            if (c == '\\')
            {
                char e = Peek(1);
                if ("\"\\/bfnrt".Contains(e)) { _pos += 2; continue; }
                if (e == 'u' && _pos + 5 < _text.Length
                    && int.TryParse(_text.AsSpan(_pos + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
                {
                    _pos += 6;
                    continue;
                }
                throw Error("unknown escape in a string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
            _pos++;
        }
    }

    private void TripleQuotedString()
    {
        int open = _pos;
        int close = _text.IndexOf("\"\"\"", _pos + 3, StringComparison.Ordinal);
        if (close < 0) throw new SyntaxError(open, "this \"\"\" string is never closed");
        _pos = close + 3;
        while (Peek() == '"') _pos++; // """a"""" ends with a quote inside the string, as the spec says
    }

    private void Substitution()
    {
        int open = _pos;
        _pos += 2;
        bool optional = Peek() == '?';
        if (optional) _pos++;
        int start = _pos;
        while (!AtEnd && _text[_pos] != '}' && _text[_pos] != '\n') _pos++;
        if (AtEnd || _text[_pos] != '}') throw new SyntaxError(open, "this ${ substitution is not closed with '}'");
        if (_pos == start || string.IsNullOrWhiteSpace(_text[start.._pos])) throw new SyntaxError(open, "this ${} substitution names no key");
        string name = _text[start.._pos].Trim();
        _pos++;
        if (optional)
        {
            // Akka's parser would turn ${?VAR} into an empty value (see the remarks), so it never sees one.
            if (open != _wholeValueAt)
            {
                throw new SyntaxError(open, "${?VAR} is supported only as a whole value: key = ${?VAR}");
            }
            _optional = (open, _pos, name);
        }
    }

    private bool IsUnquoted(int i)
    {
        if (i >= _text.Length) return false;
        char c = _text[i];
        if (char.IsWhiteSpace(c) || char.IsControl(c)) return false;
        if (ForbiddenUnquoted.Contains(c)) return false;
        if (c == '/' && i + 1 < _text.Length && _text[i + 1] == '/') return false;
        return true;
    }

    // Spaces, tabs and comments; stops at a new line.
    private void SkipInline()
    {
        while (!AtEnd)
        {
            char c = _text[_pos];
            if (c == '\n') return;
            if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (!AtEnd && _text[_pos] != '\n') _pos++;
                return;
            }
            if (char.IsWhiteSpace(c) || c == '\uFEFF') { _pos++; continue; }
            return;
        }
    }

    // Spaces, comments and new lines.
    private void SkipAll()
    {
        while (true)
        {
            SkipInline();
            if (!AtEnd && _text[_pos] == '\n') { _pos++; continue; }
            return;
        }
    }

    private bool StartsWithWord(string word) =>
        string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0
        && _pos + word.Length < _text.Length
        && (_text[_pos + word.Length] == ' ' || _text[_pos + word.Length] == '\t');

    private bool AtEnd => _pos >= _text.Length;

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private SyntaxError Error(string message) => new(_pos, message);

    private SyntaxError Unclosed(int open, char bracket)
    {
        (int line, int column) = LineColumn(open);
        return new SyntaxError(_pos, $"the '{bracket}' at line {line}, column {column} is never closed");
    }

    private string Describe(int i)
    {
        if (i >= _text.Length) return "the end of the file";
        char c = _text[i];
        if (c == '\n') return "the end of the line";
        if (char.IsControl(c) || c == '\uFFFD') return $"the character U+{(int)c:X4}";
        return $"'{c}'";
    }

    private (int Line, int Column) LineColumn(int position)
    {
        int line = 1, column = 1;
        int end = Math.Min(position, _text.Length);
        for (int i = 0; i < end; i++)
        {
            if (_text[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return (line, column);
    }
}
