using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Annotated.WebSockets.Description;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Interop.Tests.InProcess;
using Annotated.WebSockets.Interop.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace Annotated.WebSockets.Interop.Tests.Description;

/// <summary>
/// The AsyncAPI document and the TypeScript client of the chat sample and of the described test endpoints, checked with
/// the reference tools: @asyncapi/parser, ajv, tsc, and the client itself under Node with the 'ws' package.
/// </summary>
public sealed class DescriptionTests(InProcessServerFixture server, ChatServerFixture chat)
    : IClassFixture<InProcessServerFixture>, IClassFixture<ChatServerFixture>
{
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(60);

    private static IEnumerable<AnnotatedEndpointDefinition> DescribedEndpoints => AnnotatedEndpointRegistry.Endpoints
        .Where(static endpoint => endpoint.EndpointType.Namespace == typeof(OrdersEndpoint).Namespace);

    [PeerFact(PeerKind.NodeTools)]
    public async Task The_served_document_of_every_handler_form_parses_with_the_reference_parser_without_error()
    {
        Peers.Require(PeerKind.NodeTools);
        using var http = new HttpClient();
        var document = await http.GetStringAsync(await server.HttpUriAsync("/asyncapi.json"));

        var result = await ParseAsync(document);

        Assert.Equal("3.0.0", result["version"]!.GetValue<string>());
        Assert.Empty(result["errors"]!.AsArray());
    }

    [PeerFact(PeerKind.NodeTools)]
    public async Task The_chat_samples_served_and_build_time_documents_parse_and_differ_only_in_servers()
    {
        Peers.Require(PeerKind.NodeTools);
        var sample = await chat.GetServerAsync();
        using var http = new HttpClient();
        var served = await http.GetStringAsync(new Uri(sample.HttpBase, "/asyncapi.json"));
        var built = await File.ReadAllTextAsync(BuildOutput("Annotated.Samples.Chat", "asyncapi.json"));

        Assert.Empty((await ParseAsync(served))["errors"]!.AsArray());
        Assert.Empty((await ParseAsync(built))["errors"]!.AsArray());
        var servedNode = JsonNode.Parse(served)!.AsObject();
        Assert.Equal("ws", servedNode["servers"]!["default"]!["protocol"]!.GetValue<string>());
        servedNode.Remove("servers");
        Assert.True(JsonNode.DeepEquals(servedNode, JsonNode.Parse(built)), "the served document, less its servers, is the build-time one");
    }

    [Fact]
    public void Each_endpoint_is_one_channel_whose_address_parameters_and_subprotocols_are_its_declaration()
    {
        var document = Document();
        var channels = document["channels"]!.AsObject();
        Assert.Equal(
            ["BytesEndpoint", "OrdersEndpoint", "PlainCoderEndpoint", "StreamsEndpoint", "Utf8Endpoint"],
            channels.Select(static channel => channel.Key).Order(StringComparer.Ordinal));

        var orders = channels["OrdersEndpoint"]!;
        Assert.Equal("/describe/orders/{shop}", orders["address"]!.GetValue<string>());
        Assert.Equal(["shop"], orders["parameters"]!.AsObject().Select(static parameter => parameter.Key));
        Assert.Equal("integer", orders["parameters"]!["shop"]!["x-schema"]!["type"]!.GetValue<string>());
        Assert.Equal("int32", orders["parameters"]!["shop"]!["x-schema"]!["format"]!.GetValue<string>());
        var header = orders["bindings"]!["ws"]!["headers"]!["properties"]!["Sec-WebSocket-Protocol"]!;
        Assert.Equal(["orders.v2", "orders.v1"], header["enum"]!.AsArray().Select(static value => value!.GetValue<string>()));
        Assert.Equal(["orders.v2", "orders.v1"], orders["x-subprotocols"]!.AsArray().Select(static value => value!.GetValue<string>()));

        var bytes = channels["BytesEndpoint"]!;
        Assert.Equal("uuid", bytes["parameters"]!["id"]!["x-schema"]!["format"]!.GetValue<string>());
        Assert.Null(channels["StreamsEndpoint"]!["parameters"]);
        Assert.Contains(
            bytes["x-closeCodes"]!.AsArray(),
            static code => code!["code"]!.GetValue<int>() == 1009);
    }

    [Fact]
    public void Every_message_handler_is_a_receive_operation_with_its_reply_and_every_declared_send_a_send_operation()
    {
        var operations = Document()["operations"]!.AsObject();
        Assert.Equal(
            [
                "BytesEndpoint.Double", "BytesEndpoint.Echo", "OrdersEndpoint.Place", "OrdersEndpoint.send.Notice",
                "OrdersEndpoint.send.RoomEvent", "PlainCoderEndpoint.Take", "StreamsEndpoint.Part", "StreamsEndpoint.Read",
                "Utf8Endpoint.Length", "Utf8Endpoint.send.TreeNode",
            ],
            operations.Select(static operation => operation.Key).Order(StringComparer.Ordinal));

        var place = operations["OrdersEndpoint.Place"]!;
        Assert.Equal("receive", place["action"]!.GetValue<string>());
        Assert.Equal("#/channels/OrdersEndpoint/messages/Order", place["messages"]![0]!["$ref"]!.GetValue<string>());
        Assert.Equal(1024, place["x-maxMessageSize"]!.GetValue<long>());
        Assert.Equal("#/channels/OrdersEndpoint", place["reply"]!["channel"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/channels/OrdersEndpoint/messages/Receipt", place["reply"]!["messages"]![0]!["$ref"]!.GetValue<string>());
        Assert.Equal("send", operations["OrdersEndpoint.send.Notice"]!["action"]!.GetValue<string>());
        Assert.Null(operations["StreamsEndpoint.Read"]!["reply"]);
        Assert.Equal(
            "#/channels/BytesEndpoint/messages/binary",
            operations["BytesEndpoint.Echo"]!["reply"]!["messages"]![0]!["$ref"]!.GetValue<string>());

        var messages = Document()["channels"]!["OrdersEndpoint"]!["messages"]!;
        Assert.Equal("application/json", messages["Order"]!["contentType"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/Order", messages["Order"]!["payload"]!["$ref"]!.GetValue<string>());
        var bytesMessages = Document()["channels"]!["BytesEndpoint"]!["messages"]!;
        Assert.Equal("application/octet-stream", bytesMessages["binary"]!["contentType"]!.GetValue<string>());
        var unspecified = Document()["channels"]!["PlainCoderEndpoint"]!["messages"]!["CsvLine"]!;
        Assert.Equal("text/plain", unspecified["contentType"]!.GetValue<string>());
        Assert.Contains("CsvDecoder", unspecified["x-unspecified"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_payload_schema_is_the_exporters_schema_of_the_coders_contract_with_its_references_moved_into_the_components()
    {
        var schemas = Document()["components"]!["schemas"]!.AsObject();
        foreach (var (name, typeInfo) in Contracts())
        {
            var exported = JsonSchemaExporter.GetJsonSchemaAsNode(typeInfo);
            var expected = JsonNode.Parse(exported.ToJsonString().Replace("\"$ref\":\"#", $"\"$ref\":\"#/components/schemas/{name}", StringComparison.Ordinal));
            Assert.True(JsonNode.DeepEquals(expected, schemas[name]), $"{name}: {schemas[name]?.ToJsonString()} is not {expected?.ToJsonString()}");
        }

        // The tree refers to itself: the reference now points at its component.
        Assert.Contains("\"$ref\":\"#/components/schemas/TreeNode\"", schemas["TreeNode"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [PeerFact(PeerKind.NodeTools)]
    public async Task What_the_coders_write_for_generated_values_validates_against_the_documents_schemas()
    {
        Peers.Require(PeerKind.NodeTools);
        var cases = new JsonArray();
        void Add<T>(string schema, Gen<T> generator, Func<T, string> encode, int count)
        {
            foreach (var value in generator.Sample(count, 20)) // count values, of size up to 20
            {
                cases.Add(new JsonObject { ["schema"] = schema, ["json"] = encode(value) });
            }
        }

        // Text without lone surrogates (which no coder can write), with some non-ASCII in it.
        var text = Gen.Elements('a', 'z', 'Q', '7', ' ', '"', '\\', 'é', '✓', '\n').ArrayOf().Select(static chars => new string(chars));
        var lines = from product in text
                    from quantity in ArbMap.Default.GeneratorFor<int>()
                    from price in ArbMap.Default.GeneratorFor<decimal>()
                    select new OrderLine(product, quantity, price);
        var orders = from id in text
                     from orderLines in lines.ArrayOf()
                     from placedAt in ArbMap.Default.GeneratorFor<DateTimeOffset>()
                     from note in Gen.OneOf(text, Gen.Constant<string>(null!))
                     select new Order(id, orderLines, placedAt, note);
        var receipts = from id in text
                       from shop in ArbMap.Default.GeneratorFor<int>()
                       from total in ArbMap.Default.GeneratorFor<decimal>()
                       from note in Gen.OneOf(text, Gen.Constant<string>(null!))
                       select new Receipt(id, shop, total, note);
        var notices = from body in text from level in Gen.Elements(NoticeLevel.Info, NoticeLevel.Warning) select new Notice(body, level);
        var trees = from label in text
                    from children in (from leaf in text select new TreeNode(leaf, [])).ArrayOf()
                    select new TreeNode(label, children);

        Add("Order", orders, new OrderJson().Encode, 100);
        Add("Receipt", receipts, new ReceiptJson().Encode, 100);
        Add("Notice", notices, new NoticeJson().Encode, 50);
        Add("TreeNode", trees, new TreeJson().Encode, 50);
        foreach (var value in (RoomEvent[])[new Joined("a", "b"), new Left("a", "b", 3)])
        {
            cases.Add(new JsonObject { ["schema"] = "RoomEvent", ["json"] = JsonSerializer.Serialize(value, DescriptionJson.Default.RoomEvent) });
        }

        var input = new JsonObject { ["document"] = Document(), ["cases"] = cases }.ToJsonString();
        var output = await PeerProcess.RunAsync(Peers.NodePath, ["ajv-validate.mjs"], input, s_toolTimeout);
        Assert.True(output.ExitCode == 0, output.StandardError);

        var result = JsonNode.Parse(output.StandardOutput)!;
        Assert.Empty(result["outsideRefs"]!.AsArray());
        var invalid = result["results"]!.AsArray().Where(static item => !item!["valid"]!.GetValue<bool>()).ToList();
        Assert.True(invalid.Count == 0, string.Join(Environment.NewLine, invalid.Select(static item => item!.ToJsonString())));
        Assert.Equal(302, result["results"]!.AsArray().Count);
    }

    [PeerFact(PeerKind.NodeTools)]
    public async Task The_generated_client_type_checks_strictly_and_its_type_tests_reject_wrong_payloads_parameters_and_subprotocols()
    {
        Peers.Require(PeerKind.NodeTools);
        using var directory = new TemporaryDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "described-client.ts"), TypeScriptClient.Write(DescribedEndpoints, "interop"));
        File.Copy(Path.Combine(SourceDirectory(), "client-typetests.ts"), Path.Combine(directory.Path, "client-typetests.ts"));

        var output = await TscAsync(
            "--noEmit", "--lib", "es2022,dom", Path.Combine(directory.Path, "described-client.ts"), Path.Combine(directory.Path, "client-typetests.ts"));

        Assert.True(output.ExitCode == 0, output.StandardOutput + output.StandardError);
    }

    [PeerFact(PeerKind.NodeTools)]
    public async Task The_clients_work_under_node_with_ws_against_the_chat_sample_and_the_described_endpoints()
    {
        Peers.Require(PeerKind.NodeTools);
        var sample = await chat.GetServerAsync();
        using var directory = new TemporaryDirectory();
        var chatClient = Path.Combine(directory.Path, "chat-client.ts");
        File.Copy(BuildOutput("Annotated.Samples.Chat", "websocket-client.ts"), chatClient);
        var describedClient = Path.Combine(directory.Path, "described-client.ts");
        await File.WriteAllTextAsync(describedClient, TypeScriptClient.Write(DescribedEndpoints, "interop"));
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "package.json"), "{\"type\":\"module\"}");
        var compiled = await TscAsync("--outDir", directory.Path, chatClient, describedClient);
        Assert.True(compiled.ExitCode == 0, compiled.StandardOutput + compiled.StandardError);

        var output = await PeerProcess.RunAsync(Peers.NodePath, ["--test", "client.test.mjs"], string.Empty, s_toolTimeout, new Dictionary<string, string>
        {
            ["CHAT_CLIENT"] = Path.Combine(directory.Path, "chat-client.js"),
            ["CHAT_URL"] = sample.HttpBase.ToString(),
            ["DESCRIBED_CLIENT"] = Path.Combine(directory.Path, "described-client.js"),
            ["DESCRIBED_URL"] = (await server.HttpUriAsync("/")).ToString(),
        });

        Assert.True(output.ExitCode == 0, output.StandardOutput + output.StandardError);
        Assert.Contains("# pass 5", output.StandardOutput, StringComparison.Ordinal);
    }

    [PeerFact(PeerKind.NodeTools)]
    public async Task The_chat_pages_committed_client_and_javascript_are_what_the_build_and_tsc_make_of_its_sources()
    {
        Peers.Require(PeerKind.NodeTools);
        var project = InteropLocations.SampleProjectDirectory("Annotated.Samples.Chat");
        Assert.Equal(
            await File.ReadAllTextAsync(BuildOutput("Annotated.Samples.Chat", "websocket-client.ts")),
            await File.ReadAllTextAsync(Path.Combine(project, "client", "websocket-client.ts")));

        using var directory = new TemporaryDirectory();
        var output = await TscAsync("-p", Path.Combine(project, "client", "tsconfig.json"), "--outDir", directory.Path);
        Assert.True(output.ExitCode == 0, output.StandardOutput + output.StandardError);
        foreach (var script in (string[])["app.js", "websocket-client.js"])
        {
            Assert.True(
                await File.ReadAllTextAsync(Path.Combine(directory.Path, script)) == await File.ReadAllTextAsync(Path.Combine(project, "wwwroot", script)),
                $"samples/Chat/wwwroot/{script} is not what tsc makes of samples/Chat/client: build the sample with the TypeScript compiler installed (./build/setup.sh) and commit it.");
        }
    }

    [Fact]
    public async Task The_describe_tool_writes_the_same_bytes_every_time()
    {
        var assembly = InteropLocations.SampleAssembly("Annotated.Samples.Chat");
        var tool = InteropLocations.DescribeTool;
        using var directory = new TemporaryDirectory();
        foreach (var run in (string[])["first", "second"])
        {
            var output = await PeerProcess.RunAsync(
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
                [tool, assembly, Path.Combine(directory.Path, run + ".json"), Path.Combine(directory.Path, run + ".ts")],
                string.Empty,
                s_toolTimeout);
            Assert.True(output.ExitCode == 0, output.StandardOutput + output.StandardError);
        }

        var built = await File.ReadAllBytesAsync(BuildOutput("Annotated.Samples.Chat", "asyncapi.json"));
        Assert.Equal(built, await File.ReadAllBytesAsync(Path.Combine(directory.Path, "first.json")));
        Assert.Equal(built, await File.ReadAllBytesAsync(Path.Combine(directory.Path, "second.json")));
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(directory.Path, "first.ts")),
            await File.ReadAllBytesAsync(Path.Combine(directory.Path, "second.ts")));
    }

    private static JsonNode Document() => JsonNode.Parse(AsyncApiDocument.Write(DescribedEndpoints))!;

    private static IEnumerable<(string Name, JsonTypeInfo TypeInfo)> Contracts() =>
    [
        ("Order", DescriptionJson.Default.Order),
        ("Receipt", DescriptionJson.Default.Receipt),
        ("Notice", DescriptionJson.Default.Notice),
        ("RoomEvent", DescriptionJson.Default.RoomEvent),
        ("TreeNode", DescriptionJson.Default.TreeNode),
    ];

    private static async Task<JsonNode> ParseAsync(string document)
    {
        using var directory = new TemporaryDirectory();
        var file = Path.Combine(directory.Path, "asyncapi.json");
        await File.WriteAllTextAsync(file, document);
        var output = await PeerProcess.RunAsync(Peers.NodePath, ["asyncapi-check.mjs", file], string.Empty, s_toolTimeout);
        Assert.True(output.ExitCode == 0, output.StandardError);
        return JsonNode.Parse(output.StandardOutput)!;
    }

    private static Task<PeerProcess.Output> TscAsync(params string[] arguments) => PeerProcess.RunAsync(
        Path.Combine(InteropLocations.PeersDirectory, "node_modules", ".bin", "tsc"),
        [
            "--strict", "--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess", "--target", "es2022", "--module", "es2022",
            "--skipLibCheck", .. arguments,
        ],
        string.Empty,
        s_toolTimeout);

    private static string BuildOutput(string sample, string file) =>
        Path.Combine(Path.GetDirectoryName(InteropLocations.SampleAssembly(sample))!, file);

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("annotated-description-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
