using System.Net.WebSockets;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Coders;

/// <summary>Generated decoding and encoding with the built-in JSON coder, coder lifecycle, and primitive message parameters.</summary>
public class CoderTests : IAsyncLifetime
{
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_JSON_message_is_decoded_and_the_returned_object_encoded()
    {
        using var client = await _host.ConnectAsync($"/it/coders/{Recorder.NewTestId()}");

        await client.SendTextAsync("""{"Item":"tea","Quantity":2}""");

        Assert.Equal("""{"Item":"tea","Quantity":3}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Non_ASCII_JSON_is_decoded_and_encoded_exactly()
    {
        using var client = await _host.ConnectAsync($"/it/coders/{Recorder.NewTestId()}");

        await client.SendTextAsync("""{"Item":"crème brûlée €𝄞","Quantity":2}""");
        var answer = System.Text.Json.JsonSerializer.Deserialize(await client.ReceiveTextAsync(), CoderJson.Default.Order);

        Assert.Equal(new Order("crème brûlée €𝄞", 3), answer);
    }

    [Fact]
    public async Task Invalid_JSON_reaches_OnError_as_DecodeException_and_the_session_stays_open()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/coders/{test}");

        await client.SendTextAsync("{not json");
        Assert.Equal("error:DecodeException", await Recorder.For(test).WaitForAsync("error:"));

        await client.SendTextAsync("""{"Item":"ok","Quantity":0}""");
        Assert.Equal("""{"Item":"ok","Quantity":1}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task SendObject_uses_the_endpoints_encoder_and_coders_are_initialised_and_destroyed_once_per_session()
    {
        var test = Recorder.NewTestId();
        var inits = LifecycleEncoder.Inits;
        var destroys = LifecycleEncoder.Destroys;
        using (var client = await _host.ConnectAsync($"/it/coders/{test}"))
        {
            await client.SendTextAsync("""{"Item":"uri","Quantity":0}""");
            var (type, data) = await client.ReceiveMessageAsync();
            Assert.Equal(WebSocketMessageType.Binary, type);
            Assert.Equal("coded.example", System.Text.Encoding.UTF8.GetString(data));
            Assert.Equal("""{"Item":"uri","Quantity":1}""", await client.ReceiveTextAsync());
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        await Recorder.For(test).WaitForAsync("close");
        for (var i = 0; i < 100 && LifecycleEncoder.Destroys == destroys; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(inits + 1, LifecycleEncoder.Inits);
        Assert.Equal(destroys + 1, LifecycleEncoder.Destroys);
    }

    [Fact]
    public async Task A_primitive_parameter_that_does_not_parse_reaches_OnError_as_DecodeException()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/int/{test}");

        await client.SendTextAsync("41");
        Assert.Equal("42", await client.ReceiveTextAsync());
        await client.SendTextAsync("forty");

        Assert.Equal("error:DecodeException", await Recorder.For(test).WaitForAsync("error:"));
        await client.SendTextAsync("1");
        Assert.Equal("2", await client.ReceiveTextAsync());
    }
}
