using System.Text.RegularExpressions;
using Annotated.WebSockets.Interop.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Annotated.WebSockets.Interop.Tests.Browser;

/// <summary>
/// samples/Chat's own page in Chromium, used as a person would: two visitors join the same room in two pages,
/// one types a line, the other sees it; leaving is announced. Three pages in two rooms: each room hears only itself
/// and shows who is in it. A line over the handler's size limit closes the page's connection with 1009.
/// </summary>
public sealed class ChromiumChatTests(ChatServerFixture chat, BrowserFixture browser)
    : IClassFixture<ChatServerFixture>, IClassFixture<BrowserFixture>
{
    [PeerFact(PeerKind.Chromium)]
    public async Task TwoPagesInOneRoom_LineTypedInOneAppearsInTheOther()
    {
        var server = await chat.GetServerAsync();
        const string room = "interop-room";
        await using var aliceContext = await browser.NewContextAsync();
        await using var bobContext = await browser.NewContextAsync();
        var alice = await JoinAsync(aliceContext, server.HttpBase, "alice", room);
        var bob = await JoinAsync(bobContext, server.HttpBase, "bob", room);

        await Assertions.Expect(LogLine(alice, "* bob joined #interop-room")).ToBeVisibleAsync();

        await bob.Locator("#say input[name=text]").FillAsync("hello from bob ✓ 🎉");
        await bob.Locator("#say input[name=text]").PressAsync("Enter");

        await Assertions.Expect(LogLine(alice, "bob: hello from bob ✓ 🎉")).ToBeVisibleAsync();
        await Assertions.Expect(LogLine(bob, "bob: hello from bob ✓ 🎉")).ToBeVisibleAsync();

        await bob.Locator("#leave").ClickAsync();
        // The server answers with the same code; whether it repeats the reason is its choice (RFC 6455 §5.5.1).
        await Assertions.Expect(bob.Locator("#status")).ToHaveTextAsync(new Regex(@"^Disconnected \(1000(: bye)?\)\.$"));
        await Assertions.Expect(LogLine(alice, "* bob left #interop-room")).ToBeVisibleAsync();
    }

    [PeerFact(PeerKind.Chromium)]
    public async Task ThreePagesInTwoRooms_EachRoomHearsOnlyItselfAndShowsWhoIsHere()
    {
        var server = await chat.GetServerAsync();
        await using var aliceContext = await browser.NewContextAsync();
        await using var bobContext = await browser.NewContextAsync();
        await using var carolContext = await browser.NewContextAsync();
        var alice = await JoinAsync(aliceContext, server.HttpBase, "alice", "room-a");
        var bob = await JoinAsync(bobContext, server.HttpBase, "bob", "room-a");
        var carol = await JoinAsync(carolContext, server.HttpBase, "carol", "room-b");

        // The member list comes from the room's group: its own members, the sender included.
        await Assertions.Expect(alice.Locator("#members li")).ToHaveTextAsync(["alice", "bob"]);
        await Assertions.Expect(bob.Locator("#members li")).ToHaveTextAsync(["alice", "bob"]);
        await Assertions.Expect(carol.Locator("#members li")).ToHaveTextAsync(["carol"]);

        await alice.Locator("#say input[name=text]").FillAsync("only for room a");
        await alice.Locator("#say input[name=text]").PressAsync("Enter");
        await carol.Locator("#say input[name=text]").FillAsync("only for room b");
        await carol.Locator("#say input[name=text]").PressAsync("Enter");

        await Assertions.Expect(LogLine(bob, "alice: only for room a")).ToBeVisibleAsync();
        await Assertions.Expect(LogLine(alice, "alice: only for room a")).ToBeVisibleAsync();
        await Assertions.Expect(LogLine(carol, "carol: only for room b")).ToBeVisibleAsync();
        await Assertions.Expect(LogLine(carol, "alice: only for room a")).ToHaveCountAsync(0);
        await Assertions.Expect(LogLine(alice, "carol: only for room b")).ToHaveCountAsync(0);
        await Assertions.Expect(LogLine(carol, "* bob joined #room-a")).ToHaveCountAsync(0);

        // Leaving updates the list of the room left, and no other.
        await bob.Locator("#leave").ClickAsync();
        await Assertions.Expect(alice.Locator("#members li")).ToHaveTextAsync(["alice"]);
        await Assertions.Expect(LogLine(alice, "* bob left #room-a")).ToBeVisibleAsync();
        await Assertions.Expect(bob.Locator("#members li")).ToHaveCountAsync(0);
        await Assertions.Expect(carol.Locator("#members li")).ToHaveTextAsync(["carol"]);
    }

    [PeerFact(PeerKind.Chromium)]
    public async Task ALineOverTheHandlersSizeLimit_ThePageShowsTheServersCloseCode1009()
    {
        // The page talks through the client generated from ChatEndpoint; its closed promise carries the server's code.
        var server = await chat.GetServerAsync();
        await using var context = await browser.NewContextAsync();
        var page = await JoinAsync(context, server.HttpBase, "dora", "room-big");
        await Assertions.Expect(page.Locator("#members li")).ToHaveTextAsync(["dora"]);

        await page.Locator("#say input[name=text]").FillAsync(new string('x', 5000));
        await page.Locator("#say input[name=text]").PressAsync("Enter");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(new Regex(@"^Disconnected \(1009(: .*)?\)\.$"));
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

    /// <summary>A line of the page's log whose whole text is <paramref name="text"/>.</summary>
    private static ILocator LogLine(IPage page, string text) =>
        page.Locator("#log p", new PageLocatorOptions { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") });
}
