namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// A fact that needs a peer. When the peer is missing it is skipped with the reason and the install command,
/// except under CI=true, where it runs and fails (the test calls <see cref="Peers.Require"/> first).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PeerFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute for tests that need <paramref name="peer"/>.</summary>
    public PeerFactAttribute(PeerKind peer)
    {
        Peer = peer;
        if (!Peers.IsContinuousIntegration && Peers.Missing(peer) is { } problem)
        {
            Skip = problem;
        }
    }

    /// <summary>The peer the test needs.</summary>
    public PeerKind Peer { get; }
}
