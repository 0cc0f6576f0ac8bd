using System.Text.RegularExpressions;
using Annotated.WebSockets.Interop.Tests.Infrastructure;
using Annotated.WebSockets.Tests.Shared.Redis;
using Microsoft.Playwright;

namespace Annotated.WebSockets.Interop.Tests.Browser;

/// <summary>
/// samples/Chat run as two nodes on one real <c>redis-server</c> (<c>--ConnectionStrings:Redis=…</c>), each visitor's
/// page on a different node: a room, its member list and its announcements span both nodes, and /health says the
/// node reaches Redis.
/// </summary>
public sealed class ChromiumChatTwoNodesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [PeerFact(PeerKind.Chromium)]
    public async Task Visitors_on_two_nodes_share_a_room_its_member_list_and_its_announcements()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node1 = await SampleServer.StartAsync("Annotated.Samples.Chat", $"--ConnectionStrings:Redis={redis.ConnectionString}");
        await using var node2 = await SampleServer.StartAsync("Annotated.Samples.Chat", $"--ConnectionStrings:Redis={redis.ConnectionString}");
        await WaitUntilHealthyAsync(node1);
        await WaitUntilHealthyAsync(node2);

        await using var aliceContext = await browser.NewContextAsync();
        await using var bobContext = await browser.NewContextAsync();
        var alice = await JoinAsync(aliceContext, node1.HttpBase, "alice", "across");
        var bob = await JoinAsync(bobContext, node2.HttpBase, "bob", "across");

        await Assertions.Expect(LogLine(alice, "* bob joined #across")).ToBeVisibleAsync();
        await Assertions.Expect(alice.Locator("#members li")).ToHaveTextAsync(["alice", "bob"]);
        await Assertions.Expect(bob.Locator("#members li")).ToHaveTextAsync(["alice", "bob"]);

        await bob.Locator("#say input[name=text]").FillAsync("from node 2 ✓");
        await bob.Locator("#say input[name=text]").PressAsync("Enter");
        await Assertions.Expect(LogLine(alice, "bob: from node 2 ✓")).ToBeVisibleAsync();
        await Assertions.Expect(LogLine(bob, "bob: from node 2 ✓")).ToBeVisibleAsync();

        await bob.Locator("#leave").ClickAsync();
        await Assertions.Expect(LogLine(alice, "* bob left #across")).ToBeVisibleAsync();
        await Assertions.Expect(alice.Locator("#members li")).ToHaveTextAsync(["alice"]);
    }

    private static async Task WaitUntilHealthyAsync(SampleServer node)
    {
        using var http = new HttpClient { BaseAddress = node.HttpBase };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var body = await http.GetStringAsync("/healthz");
            if (body == "Healthy")
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The chat node never reached Redis: /healthz said {body}. Output:\n{node.Log}");
            await Task.Delay(50);
        }
    }

    private static async Task<IPage> JoinAsync(IBrowserContext context, Uri server, string name, string room)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.ToString());
        await page.Locator("#join input[name=name]").FillAsync(name);
        await page.Locator("#join input[name=room]").FillAsync(room);
        await page.Locator("#connect").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"Connected to #{room} as {name}.");
        return page;
    }

    private static ILocator LogLine(IPage page, string text) =>
        page.Locator("#log p", new PageLocatorOptions { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") });
}
