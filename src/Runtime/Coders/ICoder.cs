namespace Annotated.WebSockets;

/// <summary>
/// What every encoder and decoder shares: a lifecycle. Each session gets its own instance of every coder
/// declared on its endpoint, so a coder is never used by two threads at once.
/// </summary>
public interface ICoder
{
    /// <summary>Called once when the session opens, before the coder is first used.</summary>
    /// <param name="config">The configuration the endpoint was deployed with.</param>
    void Init(EndpointConfig config)
    {
    }

    /// <summary>Called once when the session has closed; release what <see cref="Init"/> acquired.</summary>
    void Destroy()
    {
    }
}
