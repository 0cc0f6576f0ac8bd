using System.Net;
using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>
/// The Jakarta §3.1.1 matching examples, answered by ASP.NET Core endpoint routing plus our matcher policy
/// over a real Kestrel: a non-upgrade GET reaches the chosen endpoint (426) and a middleware reports which.
/// </summary>
public class RoutingPrecedenceTests
{
    [Theory]
    [InlineData("/a/b", "/a/{var}")]
    [InlineData("/a/apple", "/a/{var}")]
    [InlineData("/a", null)]
    [InlineData("/a/b/", null)]
    [InlineData("/a/b/c", null)]
    public async Task Single_variable_template(string request, string? expected) =>
        await AssertRoutedAsync(["/a/{var}"], request, expected);

    [Theory]
    [InlineData("/a/b/c", "/a/b/c")]
    [InlineData("/a/d/c", "/a/{var}/c")]
    [InlineData("/a/x/y", "/a/{var1}/{var2}")]
    public async Task Literals_beat_variables_segment_by_segment(string request, string expected) =>
        await AssertRoutedAsync(["/a/{var1}/{var2}", "/a/{var}/c", "/a/b/c"], request, expected);

    [Theory]
    [InlineData("/b/d", "/b/{var2}")]
    [InlineData("/c/d", "/{var1}/d")]
    [InlineData("/b/e", "/b/{var2}")]
    public async Task The_leftmost_differing_segment_decides(string request, string expected) =>
        await AssertRoutedAsync(["/{var1}/d", "/b/{var2}"], request, expected);

    [Theory]
    [InlineData("/a/b/", "/a/b/")]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/A/b", null)]
    public async Task Trailing_slash_and_case_are_significant(string request, string? expected) =>
        await AssertRoutedAsync(["/a/b", "/a/b/"], request, expected);

    [Fact]
    public async Task An_exact_path_beats_a_template_that_also_matches() =>
        await AssertRoutedAsync(["/a/{var}", "/a/b"], "/a/b", "/a/b");

    private static async Task AssertRoutedAsync(string[] paths, string request, string? expectedPath)
    {
        var definitions = paths.Select(path => new ScriptedEndpoint().ToDefinition(path)).ToList();
        await using var host = await ServerTestHost.StartAsync(definitions, exposeEndpointName: true);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await client.GetAsync(request).WaitAsync(TimeSpan.FromSeconds(10));

        if (expectedPath is null)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        var endpoint = response.Headers.GetValues("X-Endpoint").Single();
        Assert.StartsWith($"WebSocket {expectedPath} (", endpoint, StringComparison.Ordinal);
    }
}
