namespace Annotated.WebSockets;

/// <summary>A pong received from the peer. Take it as an <see cref="OnMessageAttribute"/> parameter.</summary>
public sealed class PongMessage
{
    /// <summary>Creates a pong message carrying <paramref name="applicationData"/>.</summary>
    /// <param name="applicationData">The pong payload, at most 125 bytes.</param>
    public PongMessage(ReadOnlyMemory<byte> applicationData) => ApplicationData = applicationData;

    /// <summary>The pong's payload. It is valid only during the handler call; copy it to keep it.</summary>
    public ReadOnlyMemory<byte> ApplicationData { get; }
}
