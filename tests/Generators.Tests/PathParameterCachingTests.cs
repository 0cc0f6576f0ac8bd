using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Generators.Tests.Infrastructure;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// The generated dispatcher converts each path parameter once per session and reuses it (they cannot change during
/// a connection), while keeping what callers see: the same values, a new <see cref="DecodeException"/> on every
/// callback that needs a value that does not convert, null for a missing optional variable, and each session's
/// own values.
/// </summary>
public sealed class PathParameterCachingTests
{
    private const string Endpoint = "Samples.RoomEndpoint";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly Guid s_key = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public async Task PathParameters_AreLookedUpOnlyByTheFirstCallbacksOfASession()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters));
        var (_, dispatcher) = assembly.Create(Endpoint);
        var parameters = new CountingPathParameters(Values());
        var session = new FakeSession(parameters);

        await EveryCallbackAsync(dispatcher, session);
        var lookupsOfTheFirstRound = parameters.Lookups;
        for (var i = 0; i < 3; i++)
        {
            await EveryCallbackAsync(dispatcher, session);
        }

        Assert.NotEqual(0, lookupsOfTheFirstRound);
        Assert.Equal(lookupsOfTheFirstRound, parameters.Lookups);
        string[] round =
        [
            $"Open:lobby:42:0.5:True:x:{s_key}:9000000000:fake",
            "Message:hi:42:True",
            "Error:InvalidOperationException:lobby",
            "Close:1001:lobby:x",
        ];
        Assert.Equal([.. round, .. round, .. round, .. round], assembly.Calls(Endpoint));
    }

    [Fact]
    public async Task BadValue_ThrowsANewDecodeExceptionOnEveryMessage_AndEachReachesOnError()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters));
        var (_, dispatcher) = assembly.Create(Endpoint);
        var values = Values();
        values["id"] = "forty-two";
        var parameters = new CountingPathParameters(values);
        var session = new FakeSession(parameters);

        var errors = new List<DecodeException>();
        var lookupsAfterEachMessage = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            // What the session does with a callback's exception: hand it to the endpoint's OnError.
            var error = await Assert.ThrowsAsync<DecodeException>(
                () => dispatcher.OnTextAsync(session, "hi", last: true).AsTask().WaitAsync(s_timeout));
            await dispatcher.OnErrorAsync(session, error).AsTask().WaitAsync(s_timeout);
            errors.Add(error);
            lookupsAfterEachMessage.Add(parameters.Lookups);
        }

        Assert.All(errors, error =>
        {
            Assert.Equal("Path parameter 'id' value 'forty-two' is not a valid Byte.", error.Message);
            Assert.Equal("forty-two", error.Text);
            Assert.Contains(nameof(EndpointDispatcher.OnTextAsync), error.StackTrace, StringComparison.Ordinal);
        });
        Assert.Equal(3, errors.Distinct().Count());
        Assert.Equal(lookupsAfterEachMessage[0], lookupsAfterEachMessage[2]);
        Assert.Equal(
            ["Error:DecodeException:lobby", "Error:DecodeException:lobby", "Error:DecodeException:lobby"],
            assembly.Calls(Endpoint));
    }

    [Fact]
    public async Task MissingVariable_IsNullWhereOptional_AndADecodeExceptionOnEveryCallWhereRequired()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters));
        var (_, dispatcher) = assembly.Create(Endpoint);
        var values = Values();
        values.Remove("flag");
        var session = new FakeSession(values);

        await dispatcher.OnTextAsync(session, "a", last: true).AsTask().WaitAsync(s_timeout);
        var first = await Assert.ThrowsAsync<DecodeException>(
            () => dispatcher.OnOpenAsync(session, new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout));
        await dispatcher.OnTextAsync(session, "b", last: true).AsTask().WaitAsync(s_timeout);
        var second = await Assert.ThrowsAsync<DecodeException>(
            () => dispatcher.OnOpenAsync(session, new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout));

        Assert.NotSame(first, second);
        Assert.Equal("The endpoint's path has no parameter named 'flag'.", first.Message);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(["Message:a:42:", "Message:b:42:"], assembly.Calls(Endpoint));
    }

    [Fact]
    public async Task TwoSessionsOfOneDispatcher_EachGetTheirOwnValues()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters));
        var (_, dispatcher) = assembly.Create(Endpoint);
        var first = Values();
        var second = Values();
        second["room"] = "hall";
        second["id"] = "7";
        second["flag"] = "false";
        second["initial"] = "y";
        var one = new FakeSession(first);
        var two = new FakeSession(second);

        for (var i = 0; i < 2; i++)
        {
            await dispatcher.OnTextAsync(one, "one", last: true).AsTask().WaitAsync(s_timeout);
            await dispatcher.OnTextAsync(two, "two", last: true).AsTask().WaitAsync(s_timeout);
            await dispatcher.OnCloseAsync(two, CloseReason.NormalClosure).AsTask().WaitAsync(s_timeout);
            await dispatcher.OnCloseAsync(one, CloseReason.NormalClosure).AsTask().WaitAsync(s_timeout);
        }

        string[] round = ["Message:one:42:True", "Message:two:7:False", "Close:1000:hall:y", "Close:1000:lobby:x"];
        Assert.Equal([.. round, .. round], assembly.Calls(Endpoint));
    }

    [Fact]
    public async Task ConcurrentCallers_NeverSeeAnotherSessionsValueOrAHalfWrittenOne()
    {
        // A message racing OnClose (same session), and a caller with another session: every result must be the
        // caller's own whole value. A Guid is wider than an atomic write, so a torn read would show.
        var one = new FakeSession(new Dictionary<string, string> { ["key"] = s_key.ToString() });
        var otherKey = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");
        var two = new FakeSession(new Dictionary<string, string> { ["key"] = otherKey.ToString() });
        var wrong = 0;

        for (var i = 0; i < 500; i++)
        {
            var slot = new Slot();
            void Read(WebSocketSession session, Guid expected)
            {
                for (var j = 0; j < 20; j++)
                {
                    if (PathParameterConverter.Get(ref slot.Cache, session, "key") != expected)
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            }

            await Task.WhenAll(
                Task.Run(() => Read(one, s_key)),
                Task.Run(() => Read(one, s_key)),
                Task.Run(() => Read(two, otherKey))).WaitAsync(s_timeout);
        }

        Assert.Equal(0, wrong);
    }

    private static Dictionary<string, string> Values() => new()
    {
        ["room"] = "lobby",
        ["id"] = "42",
        ["ratio"] = "0.5",
        ["flag"] = "TRUE",
        ["initial"] = "x",
        ["key"] = s_key.ToString(),
        ["limit"] = "9000000000",
    };

    private static async Task EveryCallbackAsync(EndpointDispatcher dispatcher, WebSocketSession session)
    {
        await dispatcher.OnOpenAsync(session, new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "hi", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnErrorAsync(session, new InvalidOperationException()).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnCloseAsync(session, new CloseReason(CloseCode.GoingAway)).AsTask().WaitAsync(s_timeout);
    }

    private sealed class Slot
    {
        public PathParameterCache<Guid> Cache;
    }
}
