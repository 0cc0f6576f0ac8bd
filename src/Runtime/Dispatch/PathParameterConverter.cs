using System.Globalization;

namespace Annotated.WebSockets.Dispatch;

/// <summary>
/// Converts URI template values for generated <see cref="PathParamAttribute"/> arguments. A value that
/// does not convert is a <see cref="DecodeException"/>, which the session routes to the endpoint's error handler.
/// The overloads that take a <see cref="PathParameterCache{T}"/> convert once per session and then reuse the value
/// (or throw a new exception like the first one): path parameters cannot change during a connection.
/// </summary>
/// <remarks>Infrastructure for generated code; not meant to be used directly.</remarks>
public static class PathParameterConverter
{
    /// <summary>The value of <paramref name="name"/>, or null when the template has no such variable.</summary>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    public static string? GetString(WebSocketSession session, string name) =>
        session.PathParameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The value of <paramref name="name"/> parsed as <typeparamref name="T"/> with the invariant culture.</summary>
    /// <typeparam name="T">An integral type, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/> or <see cref="Guid"/>.</typeparam>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The variable is missing or its value does not parse.</exception>
    public static T Get<T>(WebSocketSession session, string name)
        where T : ISpanParsable<T>
    {
        var value = Require(session, name);
        return T.TryParse(value, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new DecodeException(value, $"Path parameter '{name}' value '{value}' is not a valid {typeof(T).Name}.");
    }

    /// <summary>Like <see cref="Get{T}(WebSocketSession, string)"/>, but null when the template has no such variable.</summary>
    /// <typeparam name="T">An integral type, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/> or <see cref="Guid"/>.</typeparam>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The value does not parse.</exception>
    public static T? GetNullable<T>(WebSocketSession session, string name)
        where T : struct, ISpanParsable<T> =>
        session.PathParameters.ContainsKey(name) ? Get<T>(session, name) : null;

    /// <summary>The value of <paramref name="name"/> as a <see cref="bool"/>: <c>true</c> or <c>false</c> in any case.</summary>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The variable is missing or is neither <c>true</c> nor <c>false</c>.</exception>
    public static bool GetBoolean(WebSocketSession session, string name)
    {
        var value = Require(session, name);
        return bool.TryParse(value, out var result)
            ? result
            : throw new DecodeException(value, $"Path parameter '{name}' value '{value}' is not 'true' or 'false'.");
    }

    /// <summary>Like <see cref="GetBoolean(WebSocketSession, string)"/>, but null when the template has no such variable.</summary>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The value is neither <c>true</c> nor <c>false</c>.</exception>
    public static bool? GetNullableBoolean(WebSocketSession session, string name) =>
        session.PathParameters.ContainsKey(name) ? GetBoolean(session, name) : null;

    /// <summary>The value of <paramref name="name"/> as a <see cref="char"/>: it must be exactly one character.</summary>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The variable is missing or is not one character long.</exception>
    public static char GetChar(WebSocketSession session, string name)
    {
        var value = Require(session, name);
        return value.Length == 1
            ? value[0]
            : throw new DecodeException(value, $"Path parameter '{name}' value '{value}' is not a single character.");
    }

    /// <summary>Like <see cref="GetChar(WebSocketSession, string)"/>, but null when the template has no such variable.</summary>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The value is not one character long.</exception>
    public static char? GetNullableChar(WebSocketSession session, string name) =>
        session.PathParameters.ContainsKey(name) ? GetChar(session, name) : null;

    /// <summary>Like <see cref="GetString(WebSocketSession, string)"/>, looked up once per session through <paramref name="cache"/>.</summary>
    /// <param name="cache">The dispatcher's slot for this variable.</param>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    public static string? GetString(ref PathParameterCache<string?> cache, WebSocketSession session, string name) =>
        cache.TryGet(session, out var value) ? value : cache.Fill(session, name, GetString);

    /// <summary>Like <see cref="Get{T}(WebSocketSession, string)"/>, converted once per session through <paramref name="cache"/>.</summary>
    /// <typeparam name="T">An integral type, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/> or <see cref="Guid"/>.</typeparam>
    /// <param name="cache">The dispatcher's slot for this variable and type.</param>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The variable is missing or its value does not parse: on every call for the session.</exception>
    public static T Get<T>(ref PathParameterCache<T> cache, WebSocketSession session, string name)
        where T : ISpanParsable<T> =>
        cache.TryGet(session, out var value) ? value : cache.Fill(session, name, Get<T>);

    /// <summary>Like <see cref="GetNullable{T}(WebSocketSession, string)"/>, converted once per session through <paramref name="cache"/>.</summary>
    /// <typeparam name="T">An integral type, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/> or <see cref="Guid"/>.</typeparam>
    /// <param name="cache">The dispatcher's slot for this variable and type.</param>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The value does not parse: on every call for the session.</exception>
    public static T? GetNullable<T>(ref PathParameterCache<T?> cache, WebSocketSession session, string name)
        where T : struct, ISpanParsable<T> =>
        cache.TryGet(session, out var value) ? value : cache.Fill(session, name, GetNullable<T>);

    /// <summary>Like <see cref="GetBoolean(WebSocketSession, string)"/>, converted once per session through <paramref name="cache"/>.</summary>
    /// <param name="cache">The dispatcher's slot for this variable.</param>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The variable is missing or is neither <c>true</c> nor <c>false</c>: on every call for the session.</exception>
    public static bool GetBoolean(ref PathParameterCache<bool> cache, WebSocketSession session, string name) =>
        cache.TryGet(session, out var value) ? value : cache.Fill(session, name, GetBoolean);

    /// <summary>Like <see cref="GetNullableBoolean(WebSocketSession, string)"/>, converted once per session through <paramref name="cache"/>.</summary>
    /// <param name="cache">The dispatcher's slot for this variable.</param>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The value is neither <c>true</c> nor <c>false</c>: on every call for the session.</exception>
    public static bool? GetNullableBoolean(ref PathParameterCache<bool?> cache, WebSocketSession session, string name) =>
        cache.TryGet(session, out var value) ? value : cache.Fill(session, name, GetNullableBoolean);

    /// <summary>Like <see cref="GetChar(WebSocketSession, string)"/>, converted once per session through <paramref name="cache"/>.</summary>
    /// <param name="cache">The dispatcher's slot for this variable.</param>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The variable is missing or is not one character long: on every call for the session.</exception>
    public static char GetChar(ref PathParameterCache<char> cache, WebSocketSession session, string name) =>
        cache.TryGet(session, out var value) ? value : cache.Fill(session, name, GetChar);

    /// <summary>Like <see cref="GetNullableChar(WebSocketSession, string)"/>, converted once per session through <paramref name="cache"/>.</summary>
    /// <param name="cache">The dispatcher's slot for this variable.</param>
    /// <param name="session">The session whose path parameters are read.</param>
    /// <param name="name">The template variable.</param>
    /// <exception cref="DecodeException">The value is not one character long: on every call for the session.</exception>
    public static char? GetNullableChar(ref PathParameterCache<char?> cache, WebSocketSession session, string name) =>
        cache.TryGet(session, out var value) ? value : cache.Fill(session, name, GetNullableChar);

    private static string Require(WebSocketSession session, string name) =>
        session.PathParameters.TryGetValue(name, out var value)
            ? value
            : throw new DecodeException(string.Empty, $"The endpoint's path has no parameter named '{name}'.");
}
