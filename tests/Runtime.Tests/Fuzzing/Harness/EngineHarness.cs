using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// Feeds one <see cref="FuzzCase"/> to a fresh engine over a chunking in-memory transport and checks the
/// engine's contract: ReceiveAsync never throws, never hangs (a per-receive deadline), delivers only valid
/// events (whole/partial text parts are valid UTF-8, pings are answered not delivered, control payloads at most
/// 125 bytes), ends in exactly one Close event with a code consistent with its cause, keeps returning that event,
/// and allocates a bounded amount relative to the configured limits however large the declared lengths are.
internal static class EngineHarness
{
    public static readonly TimeSpan ReceiveDeadline = TimeSpan.FromSeconds(2);

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// Null when the case passed; otherwise a one-line description of what broke.
    public static string? Run(FuzzCase fuzzCase, out ushort closeCode) => Run(fuzzCase, out closeCode, out _);

    /// As <see cref="Run(FuzzCase, out ushort)"/>; a DisposeAsync that throws after the Close event is reported
    /// apart in <paramref name="disposeError"/> (a known engine bug, tracked by its own test) so it does not mask
    /// what the receive side does.
    public static string? Run(FuzzCase fuzzCase, out ushort closeCode, out string? disposeError)
    {
        closeCode = 0;
        disposeError = null;
        WebSocketEngineOptions options = FrameStreamGenerator.CreateOptions(fuzzCase);
        ReceivePolicy policy = fuzzCase.Partial ? ReceivePolicy.Partial : ReceivePolicy.Whole;

        // Allocation bound: the message buffer (and its pooled doubling), the part/scratch/transport buffers, a
        // copy of the input's worth of pipe segments, and fixed overhead. A declared 2^62-byte frame or a 64x
        // decompression bomb must stay inside it.
        long bound = 4 * options.MaxMessageSize + 4L * fuzzCase.Input.Length + 2 * 1024 * 1024;
        long before = GC.GetAllocatedBytesForCurrentThread();

        // Half the cases read a chunking Stream, half a segmented pipe (the two engine constructors).
        var engine = (fuzzCase.ChunkSeed & 2) == 0
            ? new WebSocketEngine(new ChunkedReadStream(fuzzCase.Input, fuzzCase.ChunkSeed), options)
            : new WebSocketEngine(new SegmentedDuplexPipe(fuzzCase.Input, fuzzCase.ChunkSeed), options);
        int maxEvents = fuzzCase.Input.Length + 64;
        try
        {
            for (int events = 0; events <= maxEvents; events++)
            {
                WebSocketEvent next;
                try
                {
                    ValueTask<WebSocketEvent> pending = engine.ReceiveAsync(policy, CancellationToken.None);
                    if (!pending.IsCompleted)
                    {
                        // The transport never blocks, so waiting means the engine waits on itself.
                        Task<WebSocketEvent> task = pending.AsTask();
                        if (!task.Wait(ReceiveDeadline))
                        {
                            engine.Abort();
                            return $"hang: ReceiveAsync did not complete within {ReceiveDeadline.TotalSeconds} s after {events} events";
                        }

                        next = task.Result;
                    }
                    else
                    {
                        next = pending.Result;
                    }
                }
                catch (Exception e)
                {
                    return $"exception escaped ReceiveAsync: {e.GetType().Name}: {e.Message}";
                }

                string? eventError = CheckEvent(next, options);
                if (eventError is not null)
                {
                    return eventError;
                }

                if (next.Kind != WebSocketEventKind.Close)
                {
                    continue;
                }

                closeCode = next.CloseCode;
                string? closeError = CheckClose(next, fuzzCase);
                if (closeError is not null)
                {
                    return closeError;
                }

                ValueTask<WebSocketEvent> again = engine.ReceiveAsync(policy, CancellationToken.None);
                if (!again.IsCompleted || again.Result.Kind != WebSocketEventKind.Close || again.Result.CloseCode != next.CloseCode)
                {
                    return "a receive after the Close event did not return the same Close event";
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                return allocated > bound
                    ? $"allocated {allocated} bytes for a {fuzzCase.Input.Length}-byte input (bound {bound})"
                    : null;
            }

            return $"no Close event after {maxEvents} events: the engine delivers events without consuming input";
        }
        finally
        {
            try
            {
                if (!engine.DisposeAsync().AsTask().Wait(ReceiveDeadline))
                {
                    disposeError = "DisposeAsync did not complete";
                }
            }
            catch (Exception e)
            {
                disposeError = $"DisposeAsync threw {e.GetBaseException().GetType().Name}: {e.GetBaseException().Message}";
            }
        }
    }

    private static string? CheckEvent(WebSocketEvent next, WebSocketEngineOptions options)
    {
        switch (next.Kind)
        {
            case WebSocketEventKind.Text:
                try
                {
                    StrictUtf8.GetCharCount(next.Payload.Span);
                }
                catch (DecoderFallbackException)
                {
                    return $"a Text event ({next.Payload.Length} bytes, end={next.EndOfMessage}) is not valid UTF-8 on its own";
                }

                return CheckSize(next, options);
            case WebSocketEventKind.Binary:
                return CheckSize(next, options);
            case WebSocketEventKind.Ping:
                return options.DeliverPings ? null : "a Ping was delivered although the engine answers pings itself";
            case WebSocketEventKind.Pong:
                return next.Payload.Length > 125 ? $"a Pong event carries {next.Payload.Length} bytes (> 125)" : null;
            default:
                return null;
        }
    }

    private static string? CheckSize(WebSocketEvent next, WebSocketEngineOptions options) =>
        next.EndOfMessage && next.Payload.Length > options.MaxMessageSize && next.Payload.Length > 64 * 1024
            ? $"a data event of {next.Payload.Length} bytes exceeds the message limit {options.MaxMessageSize}"
            : null;

    private static string? CheckClose(WebSocketEvent close, FuzzCase fuzzCase)
    {
        ushort code = close.CloseCode;
        if (close.Error is WebSocketProtocolException protocol)
        {
            if (code is not (CloseStatusCodes.ProtocolError or CloseStatusCodes.InvalidPayloadData or CloseStatusCodes.MessageTooBig)
                || protocol.CloseCode != code)
            {
                return $"protocol failure reported with close code {code} ({protocol.Message})";
            }
        }
        else if (close.Error is not null)
        {
            if (code != CloseStatusCodes.AbnormalClosure)
            {
                return $"transport failure reported with close code {code} ({close.Error.GetType().Name}: {close.Error.Message})";
            }

            if (close.Error is not (EndOfStreamException or IOException))
            {
                return $"the connection ended with an unexpected error {close.Error.GetType().Name}: {close.Error.Message}";
            }
        }
        else if (code != CloseStatusCodes.NoStatusReceived && !CloseStatusCodes.IsValidOnWire(code))
        {
            return $"a peer close was reported with code {code}, which is not valid on the wire";
        }

        if (fuzzCase.ExpectedCloseCode is { } expected && expected != code)
        {
            return $"a valid stream ended with close code {code}, expected {expected} ({close})";
        }

        return null;
    }
}
