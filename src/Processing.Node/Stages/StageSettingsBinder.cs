using System.Reflection;
using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Eeg.Pipeline.Configuration;

namespace Eeg.Processing.Stages;

/// <summary>
/// Fills a stage's settings object from its HOCON <c>settings { }</c> block, by name:
/// <c>window-seconds</c> sets <c>WindowSeconds</c>. Properties not named keep their initializer's default.
/// </summary>
/// <remarks>
/// Deliberately small: double, float, int, long, bool, string, enums, string lists and double
/// arrays cover what a stage needs, and every mistake gets one line that names the stage, the key,
/// the value and what is allowed. Runs once at start-up (reflection cost does not matter here).
/// </remarks>
public static class StageSettingsBinder
{
    /// <summary>Creates a <paramref name="settingsType"/> and sets the properties named in <paramref name="settings"/>.</summary>
    public static object Bind(string stageName, Type settingsType, Config settings)
    {
        ConstructorInfo? constructor = settingsType.GetConstructor(Type.EmptyTypes);
        if (constructor is null || settingsType.IsAbstract)
        {
            throw new ConfigException($"stage '{stageName}': settings type '{settingsType.FullName}' needs a public parameterless constructor (a class or record with settable properties)");
        }
        object target = constructor.Invoke(null);
        if (settings.IsEmpty) return target;

        Dictionary<string, PropertyInfo> properties = settingsType
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        foreach ((string key, HoconValue value) in TopLevel(settings))
        {
            if (StageHostOptions.ReservedKeys.Contains(key)) continue;
            if (!properties.TryGetValue(ToPascal(key), out PropertyInfo? property))
            {
                string known = string.Join(", ", properties.Values.Select(p => ToKebab(p.Name)).Order());
                throw new ConfigException($"stage '{stageName}': unknown setting '{key}' for {settingsType.Name} (known: {(known.Length == 0 ? "none" : known)}; host settings: {string.Join(", ", StageHostOptions.ReservedKeys)})");
            }
            property.SetValue(target, Convert(stageName, key, value, property.PropertyType));
        }
        return target;
    }

    /// <summary>True when the block holds keys other than the host's reserved ones.</summary>
    public static bool HasStageKeys(Config settings) =>
        !settings.IsEmpty && TopLevel(settings).Any(kv => !StageHostOptions.ReservedKeys.Contains(kv.Key));

    /// <summary>The stage's own keys (not the host's), for messages.</summary>
    public static IEnumerable<string> StageKeys(Config settings) =>
        settings.IsEmpty ? [] : TopLevel(settings).Select(kv => kv.Key).Where(k => !StageHostOptions.ReservedKeys.Contains(k));

    /// <summary>"stage 'alpha': settings.window-seconds = "x" is not allowed: a number".</summary>
    public static ConfigException Invalid(string stageName, string key, object? value, string allowed) =>
        new($"stage '{stageName}': settings.{key} = {Format(value)} is not allowed: {allowed}");

    private static IEnumerable<KeyValuePair<string, HoconValue>> TopLevel(Config settings) =>
        settings.Root.GetObject().Items;

    private static object? Convert(string stage, string key, HoconValue value, Type type)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (target == typeof(string[]) || target == typeof(List<string>) || target == typeof(IReadOnlyList<string>) || target == typeof(IList<string>))
            {
                if (!value.IsArray()) throw Invalid(stage, key, Describe(value), "a list of strings such as [\"Fp1\", \"Fp2\"]");
                string[] items = value.GetStringList().ToArray();
                return target == typeof(List<string>) || target == typeof(IList<string>) ? items.ToList() : items;
            }
            if (target == typeof(double[]))
            {
                if (!value.IsArray()) throw Invalid(stage, key, Describe(value), "a list of numbers such as [8, 13]");
                return value.GetArray().Select(v => ParseDouble(stage, key, v)).ToArray();
            }
            if (value.IsArray() || value.IsObject())
            {
                throw Invalid(stage, key, Describe(value), Expected(target));
            }
            string text = value.GetString();
            if (target == typeof(string)) return text;
            if (target == typeof(double)) return ParseDouble(stage, key, value);
            if (target == typeof(float)) return (float)ParseDouble(stage, key, value);
            if (target == typeof(int)) return int.TryParse(text, out int i) ? i : throw Invalid(stage, key, text, Expected(target));
            if (target == typeof(long)) return long.TryParse(text, out long l) ? l : throw Invalid(stage, key, text, Expected(target));
            if (target == typeof(bool))
            {
                return text.ToLowerInvariant() switch
                {
                    "true" or "on" or "yes" => true,
                    "false" or "off" or "no" => false,
                    _ => throw Invalid(stage, key, text, Expected(target)),
                };
            }
            if (target.IsEnum)
            {
                foreach (string name in Enum.GetNames(target))
                {
                    if (string.Equals(name, ToPascal(text), StringComparison.OrdinalIgnoreCase) || string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                    {
                        return Enum.Parse(target, name);
                    }
                }
                throw Invalid(stage, key, text, Expected(target));
            }
        }
        catch (Exception e) when (e is not ConfigException)
        {
            throw Invalid(stage, key, Describe(value), Expected(target));
        }
        throw new ConfigException($"stage '{stage}': settings.{key} has type {type.Name}, which settings cannot bind (use double, float, int, long, bool, string, an enum, string[] or double[])");
    }

    private static double ParseDouble(string stage, string key, HoconValue value)
    {
        string text = value.IsArray() || value.IsObject() ? Describe(value) : value.GetString();
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? d
            : throw Invalid(stage, key, text, "a number");
    }

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(double) || type == typeof(float) => "a number",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(bool) => "on/off (true/false)",
        _ when type == typeof(string) => "a string",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(ToKebab)),
        _ => type.Name,
    };

    private static string Describe(HoconValue value) =>
        value.IsArray() ? "[" + string.Join(", ", value.GetArray().Select(v => v.IsObject() || v.IsArray() ? "..." : v.GetString())) + "]"
        : value.IsObject() ? "{ ... }"
        : value.GetString();

    private static string Format(object? value) => value switch
    {
        null => "(missing)",
        string s when s.StartsWith('[') || s.StartsWith('{') => s,
        string s => $"\"{s}\"",
        _ => value.ToString() ?? "",
    };

    /// <summary>window-seconds -> WindowSeconds.</summary>
    public static string ToPascal(string kebab)
    {
        var result = new StringBuilder(kebab.Length);
        bool upper = true;
        foreach (char c in kebab)
        {
            if (c is '-' or '_') { upper = true; continue; }
            result.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return result.ToString();
    }

    /// <summary>WindowSeconds -> window-seconds.</summary>
    public static string ToKebab(string pascal)
    {
        var result = new StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(pascal[i - 1])) result.Append('-');
            result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }
}
