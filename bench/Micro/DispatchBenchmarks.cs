using System.Reflection;
using Annotated.WebSockets.Dispatch;
using BenchmarkDotNet.Attributes;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// One text message delivered to an annotated handler four ways: through the generated dispatcher (what the runtime
/// does), through a hand-written <see cref="EndpointDispatcher"/> (the baseline: what the generator replaces), by a
/// direct call with no dispatcher at all (the floor: no virtual call), and by
/// <see cref="MethodInfo.Invoke(object, object[])"/> alone (the bare reflective call). Then the realistic case, on
/// <see cref="RoomBenchEndpoint"/> (session, message, an int path parameter, a returned reply that must be sent):
/// the generated dispatcher against <see cref="ReflectiveContainer"/>, which does what Tomcat's
/// PojoMessageHandlerWhole does per message. The message string exists before the call, so any allocation reported
/// is the dispatch's own.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class DispatchBenchmarks
{
    private readonly BenchSession _session = new();
    private readonly string _message = new('x', 32);
    private BenchEndpoint _endpoint = null!;
    private EndpointDispatcher _dispatcher = null!;
    private EndpointDispatcher _handWritten = null!;
    private MethodInfo _method = null!;
    private BenchSession _roomSession = null!;
    private EndpointDispatcher _roomDispatcher = null!;
    private ReflectiveContainer _roomReflective = null!;

    /// <summary>Finds the generated dispatcher and the handler's MethodInfo once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _endpoint = new BenchEndpoint();
        AnnotatedEndpointDefinition definition = AnnotatedEndpointRegistry.Find(typeof(BenchEndpoint))
            ?? throw new InvalidOperationException("The generator did not register BenchEndpoint.");
        _dispatcher = definition.CreateDispatcher(_endpoint);
        _handWritten = new HandWrittenDispatcher(_endpoint);
        _method = typeof(BenchEndpoint).GetMethod(nameof(BenchEndpoint.OnText))!;

        _roomSession = new BenchSession(new CountingRemote(), new Dictionary<string, string> { ["room"] = "42" });
        AnnotatedEndpointDefinition room = AnnotatedEndpointRegistry.Find(typeof(RoomBenchEndpoint))
            ?? throw new InvalidOperationException("The generator did not register RoomBenchEndpoint.");
        _roomDispatcher = room.CreateDispatcher(new RoomBenchEndpoint());
        _roomReflective = new ReflectiveContainer(new RoomBenchEndpoint(), typeof(RoomBenchEndpoint).GetMethod(nameof(RoomBenchEndpoint.OnText))!);
    }

    /// <summary>A hand-written dispatcher, called the way the session layer calls the generated one.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask HandWritten() => _handWritten.OnTextAsync(_session, _message, true);

    /// <summary>A direct call of the handler: no dispatcher, no virtual call.</summary>
    [Benchmark]
    public ValueTask DirectCall()
    {
        _endpoint.OnText(_message, _session);
        return default;
    }

    /// <summary>The generated dispatcher's OnTextAsync, as the session layer calls it.</summary>
    [Benchmark]
    public ValueTask Generated() => _dispatcher.OnTextAsync(_session, _message, true);

    /// <summary>MethodInfo.Invoke with a fresh argument array per message, as a reflection-based container does.</summary>
    [Benchmark]
    public ValueTask Reflection()
    {
        _method.Invoke(_endpoint, [_message, _session]);
        return default;
    }

    /// <summary>Realistic case, generated: path parameter converted, handler called, its reply sent.</summary>
    [Benchmark]
    public ValueTask RoomGenerated() => _roomDispatcher.OnTextAsync(_roomSession, _message, true);

    /// <summary>Realistic case, reflective container (Tomcat's per-message work): argument array, Invoke, reply sent.</summary>
    [Benchmark]
    public ValueTask RoomReflective() => new(_roomReflective.OnMessage(_roomSession, _message));
}
