using Annotated.WebSockets;

namespace InvalidEndpointProject;

// Each class breaks one rule; InvalidEndpointProjectBuildTests expects exactly these IDs in the build output.

[ServerEndpoint("/too-big")]
public sealed class TooBig
{
    // AWE0100: above int.MaxValue.
    [OnMessage(MaxMessageSize = 3_000_000_000L)]
    public void Message(string text)
    {
    }
}

// AWE0201: not rooted.
[ServerEndpoint("relative")]
public sealed class Relative
{
}

[ServerEndpoint("/errors")]
public sealed class MissingException
{
    // AWE0110: no Exception parameter.
    [OnError]
    public void Error(WebSocketSession session)
    {
    }
}

[ServerEndpoint("/async-void")]
public sealed class AsyncVoid
{
    // AWE0115 (a warning, an error here because of TreatWarningsAsErrors).
    [OnOpen]
    public async void Open() => await Task.Yield();
}

// AWE0203 on both: equivalent templates, found by the compilation-end action.
[ServerEndpoint("/rooms/{a}")]
public sealed class RoomsA
{
}

[ServerEndpoint("/rooms/{b}")]
public sealed class RoomsB
{
}
