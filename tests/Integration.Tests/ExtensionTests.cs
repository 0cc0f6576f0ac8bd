using System.Net.WebSockets;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>permessage-deflate negotiated through GetNegotiatedExtensions, enabled for one endpoint only.</summary>
public class ExtensionTests : IAsyncLifetime
{
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync(options =>
    {
        options.EndpointPerMessageDeflate["/it/deflate"] = new PerMessageDeflateSettings { Enabled = true };
        options.EndpointPerMessageDeflate["/it/deflate-declined"] = new PerMessageDeflateSettings { Enabled = true };
        options.EndpointPerMessageDeflate["/it/utf8/{test}"] = new PerMessageDeflateSettings { Enabled = true };
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_endpoint_with_deflate_enabled_negotiates_it_and_reports_it_on_the_session()
    {
        using var client = await _host.ConnectAsync("/it/deflate", options =>
        {
            options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            options.CollectHttpResponseDetails = true;
        });

        Assert.StartsWith("ext:permessage-deflate", await client.ReceiveTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("permessage-deflate", client.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single(), StringComparison.Ordinal);
        var text = string.Concat(Enumerable.Repeat("compress me ", 200));
        await client.SendTextAsync(text);
        Assert.Equal(text, await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Utf8Text_is_inflated_into_the_handler_and_its_bytes_compressed_back()
    {
        using var client = await _host.ConnectAsync($"/it/utf8/{Recorder.NewTestId()}", options =>
        {
            options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            options.CollectHttpResponseDetails = true;
        });
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("crème € 𝄞 ", 4)));   // 64 bytes: the endpoint's limit

        await client.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var (type, echoed) = await client.ReceiveMessageAsync();

        Assert.StartsWith("permessage-deflate", client.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single(), StringComparison.Ordinal);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal(text, echoed);
    }

    [Fact]
    public async Task Other_endpoints_keep_the_container_default_off()
    {
        using var client = await _host.ConnectAsync($"/it/echo/{Recorder.NewTestId()}", options =>
        {
            options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            options.CollectHttpResponseDetails = true;
        });

        Assert.False(client.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"));
        await client.SendTextAsync("plain");
        Assert.Equal("plain", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_configurator_can_decline_the_extensions()
    {
        using var client = await _host.ConnectAsync("/it/deflate-declined", options =>
        {
            options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            options.CollectHttpResponseDetails = true;
        });

        Assert.Equal("ext:0", await client.ReceiveTextAsync());
        Assert.False(client.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"));
    }
}
