namespace Annotated.WebSockets;

/// <summary>
/// Marks the method called when a callback throws or a message cannot be decoded. It takes an
/// <see cref="Exception"/> parameter and may take a <see cref="WebSocketSession"/> and
/// <see cref="PathParamAttribute"/> parameters; it returns <c>void</c>, <see cref="Task"/> or <see cref="ValueTask"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class OnErrorAttribute : Attribute;
