namespace Annotated.WebSockets.Diagnostics;

/// <summary>
/// What the protocol engine tells about each frame it reads or writes (opcode as on the wire, FIN, bytes with the
/// header), for the message and byte counts; set on an engine only while someone listens to those instruments.
/// </summary>
internal abstract class WireTraffic
{
    /// <summary>A frame was read.</summary>
    public abstract void FrameReceived(byte opcode, bool fin, long wireBytes);

    /// <summary>A frame is being written.</summary>
    public abstract void FrameSent(byte opcode, bool fin, long wireBytes);
}
