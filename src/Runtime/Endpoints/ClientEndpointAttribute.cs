namespace Annotated.WebSockets;

/// <summary>
/// Marks a public class as a WebSocket client endpoint. The source generator compiles its lifecycle and
/// message methods into a dispatcher used by <c>WebSocketContainer.ConnectToServerAsync</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ClientEndpointAttribute : Attribute
{
    /// <summary>The subprotocols to request, in order of preference.</summary>
    public string[] Subprotocols { get; set; } = [];

    /// <summary>Decoder types, tried in declaration order.</summary>
    public Type[] Decoders { get; set; } = [];

    /// <summary>Encoder types, tried in declaration order.</summary>
    public Type[] Encoders { get; set; } = [];

    /// <summary>A type deriving from <c>ClientEndpointConfigurator</c>, or null.</summary>
    public Type? Configurator { get; set; }
}
