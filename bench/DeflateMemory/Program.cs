using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

// Usage: Annotated.WebSockets.Bench.DeflateMemory ECHO_DLL [--connections N] [--messages M] [--modes none,15,9]
//        [--heapstat HEAPSTAT_DLL]
// For each mode, starts samples/Echo (ECHO_DLL) afresh on a free 127.0.0.1 port, opens N connections to /echo that
// offer permessage-deflate with server_max_window_bits=<mode> (none: no offer), sends M varied ~1 KiB JSON-like text
// messages on each and reads the echoes (so the server's deflater has compressed 20 KiB or so per connection and its
// window pages are in use), holds them all open, and prints the server's VmRSS growth per connection and, with
// --heapstat, the growth of the objects reachable on its managed heap (bench/HeapStat). Loopback only; every wait is
// bounded.
if (args.Length < 1)
{
    Console.Error.WriteLine("Usage: DeflateMemory ECHO_DLL [--connections N] [--messages M] [--modes none,15,9] [--heapstat HEAPSTAT_DLL]");
    return 2;
}

string echoDll = Path.GetFullPath(args[0]);
int connections = 1000;
int messages = 20;
string[] modes = ["none", "15", "9"];
string? heapStat = null;
for (int i = 1; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--connections": connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--messages": messages = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--modes": modes = args[i + 1].Split(','); break;
        case "--heapstat": heapStat = Path.GetFullPath(args[i + 1]); break;
        default: Console.Error.WriteLine("Unknown option " + args[i]); return 2;
    }
}

Console.WriteLine($"| offer | connections | negotiated | server VmRSS growth per connection | reachable managed heap growth per connection |");
Console.WriteLine("| --- | ---: | --- | ---: | ---: |");
foreach (string mode in modes)
{
    int? bits = mode == "none" ? null : int.Parse(mode, CultureInfo.InvariantCulture);
    int port = FreePort();
    using var server = Process.Start(new ProcessStartInfo("dotnet")
    {
        ArgumentList = { echoDll, "--urls", $"http://127.0.0.1:{port}" },
        WorkingDirectory = Path.GetDirectoryName(echoDll)!,
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Logging__LogLevel__Default"] = "Warning" },
    })!;
    server.OutputDataReceived += static (_, _) => { };
    server.ErrorDataReceived += static (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
    server.BeginOutputReadLine();
    server.BeginErrorReadLine();
    try
    {
        var uri = new Uri($"ws://127.0.0.1:{port}/echo");
        await WaitForServerAsync(port);
        // Warm-up: the same path on a few connections, closed again, so JIT and pools are not counted per connection.
        var warm = new List<ClientWebSocket>();
        for (int i = 0; i < 20; i++)
        {
            warm.Add(await OpenAsync(uri, bits, messages, seed: -1 - i));
        }

        foreach (var socket in warm)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Timeout());
            socket.Dispose();
        }

        await SettleAsync();
        long rss0 = Rss(server.Id);
        long heap0 = heapStat is null ? 0 : Reachable(heapStat, server.Id);
        var open = new List<ClientWebSocket>(connections);
        string negotiated = "";
        using var gate = new SemaphoreSlim(32);
        var tasks = Enumerable.Range(0, connections).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var socket = await OpenAsync(uri, bits, messages, seed: i);
                lock (open)
                {
                    open.Add(socket);
                    if (i == 0)
                    {
                        negotiated = socket.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true
                            ? string.Join(", ", values) : "(none)";
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(5));
        await SettleAsync();
        long rss1 = Rss(server.Id);
        long heap1 = heapStat is null ? 0 : Reachable(heapStat, server.Id);
        string heap = heapStat is null ? "n/a" : $"{(heap1 - heap0) / (double)connections / 1024:F1} KiB";
        Console.WriteLine($"| {(bits is null ? "none" : $"server_max_window_bits={bits}")} | {connections} | {negotiated} | {(rss1 - rss0) / (double)connections / 1024:F1} KiB | {heap} |");
        foreach (var socket in open)
        {
            socket.Abort();
            socket.Dispose();
        }
    }
    finally
    {
        if (!server.HasExited)
        {
            server.Kill();
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}

return 0;

static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

static async Task<ClientWebSocket> OpenAsync(Uri uri, int? bits, int messages, int seed)
{
    var socket = new ClientWebSocket();
    socket.Options.CollectHttpResponseDetails = true;
    socket.Options.KeepAliveInterval = TimeSpan.Zero;
    if (bits is int b)
    {
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions { ServerMaxWindowBits = b };
    }

    await socket.ConnectAsync(uri, Timeout());
    byte[] buffer = new byte[64 * 1024];
    var random = new Random(seed);
    for (int m = 0; m < messages; m++)
    {
        byte[] message = Json(random);
        await socket.SendAsync(message, WebSocketMessageType.Text, true, Timeout());
        int received = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(received), Timeout());
            received += result.Count;
        }
        while (!result.EndOfMessage);
        if (received != message.Length)
        {
            throw new InvalidOperationException($"echo of {received} bytes for {message.Length}");
        }
    }

    return socket;
}

// About 1 KiB of chat-like JSON, different on every connection and message.
static byte[] Json(Random random)
{
    var text = new StringBuilder("[");
    while (text.Length < 1000)
    {
        text.Append(CultureInfo.InvariantCulture, $"{{\"user\":\"user{random.Next(10_000)}\",\"room\":\"room{random.Next(50)}\",\"text\":\"message {random.Next()} {random.Next()}\",\"ts\":{1_700_000_000_000L + random.Next()}}},");
    }

    text[^1] = ']';
    return Encoding.UTF8.GetBytes(text.ToString());
}

static async Task WaitForServerAsync(int port)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
    }
}

// Lets the server's closes, pooled-buffer returns and a GC finish before memory is read (bounded: 2 s).
static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(2));

static long Rss(int pid)
{
    foreach (string line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    throw new InvalidOperationException("no VmRSS");
}

// The "reachable" total of bench/HeapStat: bytes of the objects reachable from the server's roots.
static long Reachable(string heapStatDll, int pid)
{
    using var process = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { heapStatDll, pid.ToString(CultureInfo.InvariantCulture), "1" }, RedirectStandardOutput = true, UseShellExecute = false })!;
    string first = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("HeapStat printed nothing");
    process.StandardOutput.ReadToEnd();
    process.WaitForExit(60_000);
    return long.Parse(first.Split('\t')[1], CultureInfo.InvariantCulture);
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
