using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.Operations;

/// <summary>
/// samples/Chat run as a process, as an operator runs it: after one visitor says one line, its <c>/metrics</c> (the
/// OpenTelemetry SDK's Prometheus exporter) has the WebSocket server's instruments under their exact Prometheus names,
/// with the route template as tag and the exact counts; <c>/healthz</c> and <c>/healthz/live</c> answer.
/// </summary>
public sealed class ChatMetricsScrapeTests
{
    [Fact]
    public async Task The_chat_samples_metrics_endpoint_has_the_websocket_instruments_by_their_prometheus_names()
    {
        await using var chat = await SampleServer.StartAsync("Annotated.Samples.Chat");
        using var http = new HttpClient { BaseAddress = chat.HttpBase };
        using var visitor = new ClientWebSocket();
        await visitor.ConnectAsync(chat.WebSocketUri("/chat/metrics?name=ada"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await visitor.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var lines = new List<string>();
        while (!lines.Contains("ada: hello"))
        {
            var buffer = new byte[4096];
            var received = await visitor.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            lines.Add(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        var metrics = await http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE annotated_websockets_server_active_connections gauge", metrics, StringComparison.Ordinal);
        Assert.Equal(1, Value(metrics, "annotated_websockets_server_active_connections", ("http_route", "/chat/{room}")));
        Assert.Contains("# TYPE annotated_websockets_server_handshake_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Equal(1, Value(metrics, "annotated_websockets_server_handshake_duration_seconds_count", ("http_response_status_code", "101"), ("http_route", "/chat/{room}")));
        Assert.Equal(1, Value(metrics, "annotated_websockets_server_messages_total", ("annotated_websockets_message_type", "text"), ("http_route", "/chat/{room}"), ("network_io_direction", "receive")));
        Assert.Equal(11, Value(metrics, "annotated_websockets_server_io_bytes_total", ("http_route", "/chat/{room}"), ("network_io_direction", "receive")));   // 2 + 4 (mask) + 5
        Assert.Equal(1, Value(metrics, "annotated_websockets_server_handler_duration_seconds_count", ("annotated_websockets_handler", "message"), ("http_route", "/chat/{room}")));

        Assert.Equal("Healthy", await http.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", await http.GetStringAsync("/healthz/live"));
        await visitor.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    // The value of the one series of `name` whose labels include `labels`.
    private static double Value(string metrics, string name, params (string Label, string Value)[] labels)
    {
        var series = metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains($"{label.Label}=\"{label.Value}\"", StringComparison.Ordinal)))
            .ToArray();
        var line = Assert.Single(series);
        return double.Parse(Regex.Match(line, @"\}\s+(\S+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
