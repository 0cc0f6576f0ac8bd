using System.Text;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>Frames cut where a faulty peer would stop: the header alone, or the header and part of the payload.</summary>
internal static class Frames
{
    /// <summary>A masked text frame of <paramref name="length"/> ASCII letters.</summary>
    public static byte[] Text(RawPeer peer, int length, bool fin = true) =>
        peer.Build(1, Encoding.ASCII.GetBytes(new string('x', length)), fin);

    /// <summary>A masked binary frame of <paramref name="length"/> bytes.</summary>
    public static byte[] Binary(RawPeer peer, int length, bool fin = true) =>
        peer.Build(2, new byte[length], fin);

    /// <summary>The size of a masked client frame's header (base, extended length, mask key) for a payload length.</summary>
    public static int HeaderLength(long payloadLength) => 2 + (payloadLength <= 125 ? 0 : payloadLength <= ushort.MaxValue ? 2 : 8) + 4;
}
