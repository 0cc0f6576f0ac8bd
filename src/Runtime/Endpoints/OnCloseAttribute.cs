namespace Annotated.WebSockets;

/// <summary>
/// Marks the method called exactly once when a session closes, however it ends. It may take a
/// <see cref="WebSocketSession"/>, a <see cref="CloseReason"/> and <see cref="PathParamAttribute"/>
/// parameters, and returns <c>void</c>, <see cref="Task"/> or <see cref="ValueTask"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class OnCloseAttribute : Attribute;
