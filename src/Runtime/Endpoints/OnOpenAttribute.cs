namespace Annotated.WebSockets;

/// <summary>
/// Marks the method called when a session opens. It may take a <see cref="WebSocketSession"/>, an
/// <see cref="EndpointConfig"/> and <see cref="PathParamAttribute"/> parameters, in any order, and returns
/// <c>void</c>, <see cref="Task"/> or <see cref="ValueTask"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class OnOpenAttribute : Attribute;
