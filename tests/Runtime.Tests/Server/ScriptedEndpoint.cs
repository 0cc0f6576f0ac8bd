using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>
/// A hand-written stand-in for a generated endpoint: each test scripts what the callbacks do, and every
/// callback is recorded in <see cref="Log"/>. It never touches the process-wide registry: its configurator
/// creates the instances, so tests cannot collide.
/// </summary>
internal sealed class ScriptedEndpoint
{
    public CallbackLog Log { get; } = new();

    public Func<WebSocketSession, ValueTask>? OnOpen { get; set; }

    /// <summary>The text handler; the default echoes the text back.</summary>
    public Func<WebSocketSession, string, bool, ValueTask> OnText { get; set; } =
        static async (session, text, last) => await session.BasicRemote.SendTextAsync(text);

    /// <summary>The binary handler; the default echoes the bytes back.</summary>
    public Func<WebSocketSession, ReadOnlyMemory<byte>, bool, ValueTask> OnBinary { get; set; } =
        static async (session, data, last) => await session.BasicRemote.SendBinaryAsync(data);

    public Func<WebSocketSession, CloseReason, ValueTask>? OnClose { get; set; }

    public bool HasErrorHandler { get; set; } = true;

    public MessageDelivery Text { get; set; } = MessageDelivery.Whole;

    public MessageDelivery Binary { get; set; } = MessageDelivery.Whole;

    /// <summary>Whole text goes to the Utf8Text entry point, which echoes the bytes back.</summary>
    public bool TextAsUtf8 { get; set; }

    public bool HandlesPong { get; set; }

    public long MaxTextMessageSize { get; set; } = -1;

    public long MaxBinaryMessageSize { get; set; } = -1;

    public ServerEndpointConfigurator? Configurator { get; set; }

    public int InstancesCreated;

    public AnnotatedEndpointDefinition ToDefinition(string path, params string[] subprotocols) => new()
    {
        EndpointType = typeof(ScriptedEndpoint),
        Path = path,
        Subprotocols = subprotocols,
        Text = Text,
        TextAsUtf8 = TextAsUtf8,
        Binary = Binary,
        HandlesPong = HandlesPong,
        MaxTextMessageSize = MaxTextMessageSize,
        MaxBinaryMessageSize = MaxBinaryMessageSize,
        CreateConfigurator = () => Configurator ?? new InstanceConfigurator(this),
        CreateEndpoint = _ => this,
        CreateDispatcher = instance => new Dispatcher((ScriptedEndpoint)instance),
    };

    /// <summary>Hands out this script as the "instance" and counts the connections.</summary>
    internal class InstanceConfigurator(ScriptedEndpoint script) : ServerEndpointConfigurator
    {
        public override object GetEndpointInstance(Type endpointType, IServiceProvider services)
        {
            Interlocked.Increment(ref script.InstancesCreated);
            return script;
        }
    }

    private sealed class Dispatcher(ScriptedEndpoint script) : EndpointDispatcher
    {
        public override object Endpoint => script;

        public override bool HasErrorHandler => script.HasErrorHandler;

        public override async ValueTask OnOpenAsync(WebSocketSession session, EndpointConfig config)
        {
            script.Log.Add("open", session);
            if (script.OnOpen is { } open)
            {
                await open(session);
            }
        }

        public override ValueTask OnTextAsync(WebSocketSession session, string text, bool last)
        {
            script.Log.Add($"text:{text}:{last}");
            return script.OnText(session, text, last);
        }

        public override async ValueTask OnUtf8TextAsync(WebSocketSession session, Utf8Text text)
        {
            script.Log.Add($"utf8:{text.Length}:{text}");
            await session.BasicRemote.SendTextAsync(text);
        }

        public override ValueTask OnBinaryAsync(WebSocketSession session, ReadOnlyMemory<byte> data, bool last)
        {
            script.Log.Add($"binary:{data.Length}:{last}");
            return script.OnBinary(session, data, last);
        }

        public override ValueTask OnTextStreamAsync(WebSocketSession session, TextReader reader)
        {
            script.Log.Add($"textstream:{reader.ReadToEnd()}");
            return default;
        }

        public override async ValueTask OnBinaryStreamAsync(WebSocketSession session, Stream stream)
        {
            // A streamed message has no length up front: it is read while it arrives.
            var buffer = new byte[4096];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            script.Log.Add($"binarystream:{total}");
        }

        public override ValueTask OnPongAsync(WebSocketSession session, PongMessage pong)
        {
            script.Log.Add($"pong:{Convert.ToHexString(pong.ApplicationData.Span)}");
            return default;
        }

        public override ValueTask OnErrorAsync(WebSocketSession session, Exception error)
        {
            script.Log.Add($"error:{error.GetType().Name}:{error.Message}", error);
            return default;
        }

        public override async ValueTask OnCloseAsync(WebSocketSession session, CloseReason reason)
        {
            script.Log.Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}", reason);
            if (script.OnClose is { } close)
            {
                await close(session, reason);
            }
        }
    }
}
