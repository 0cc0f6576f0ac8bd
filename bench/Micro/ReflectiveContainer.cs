using System.Globalization;
using System.Reflection;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// What a container that finds handlers by reflection does per whole text message — the shape of Tomcat's
/// <c>PojoMessageHandlerWhole.onMessage</c> with <c>PojoMethodMapping.getMessageArgs</c>: a new argument array,
/// filled by parameter role (the session, the message, each path parameter looked up in the session's map and
/// converted from its string), <see cref="MethodInfo.Invoke(object, object[])"/>, then the result inspected and,
/// when not null, sent (a string as text). The roles are worked out once, at deployment, as Tomcat does.
/// </summary>
public sealed class ReflectiveContainer
{
    private readonly object _endpoint;
    private readonly MethodInfo _method;
    private readonly Role[] _roles;
    private readonly string?[] _pathNames;
    private readonly Type[] _types;

    /// <summary>Inspects <paramref name="method"/>'s parameters once.</summary>
    /// <param name="endpoint">The endpoint instance.</param>
    /// <param name="method">The [OnMessage] method.</param>
    public ReflectiveContainer(object endpoint, MethodInfo method)
    {
        _endpoint = endpoint;
        _method = method;
        ParameterInfo[] parameters = method.GetParameters();
        _roles = new Role[parameters.Length];
        _pathNames = new string?[parameters.Length];
        _types = new Type[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            _types[i] = parameters[i].ParameterType;
            if (parameters[i].GetCustomAttribute<PathParamAttribute>() is { } pathParam)
            {
                _roles[i] = Role.PathParameter;
                _pathNames[i] = pathParam.Name;
            }
            else
            {
                _roles[i] = parameters[i].ParameterType == typeof(WebSocketSession) ? Role.Session : Role.Message;
            }
        }
    }

    private enum Role
    {
        Message,
        Session,
        PathParameter,
    }

    /// <summary>Delivers one whole text message.</summary>
    /// <param name="session">The session it arrived on.</param>
    /// <param name="message">The message.</param>
    /// <returns>The send of the result, if any.</returns>
    public Task OnMessage(WebSocketSession session, string message)
    {
        object?[] arguments = new object?[_roles.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = _roles[i] switch
            {
                Role.Session => session,
                Role.Message => message,
                _ => Convert(_types[i], session.PathParameters[_pathNames[i]!]),
            };
        }

        object? result = _method.Invoke(_endpoint, arguments);
        return result switch
        {
            null => Task.CompletedTask,
            string text => session.BasicRemote.SendTextAsync(text),
            _ => session.BasicRemote.SendObjectAsync(result),
        };
    }

    // Tomcat's Util.coerceToType: the primitive types by parse, strings as they are.
    private static object Convert(Type type, string value) =>
        type == typeof(string) ? value
        : type == typeof(int) ? int.Parse(value, CultureInfo.InvariantCulture)
        : type == typeof(long) ? long.Parse(value, CultureInfo.InvariantCulture)
        : type == typeof(bool) ? bool.Parse(value)
        : System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
}
