using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Runtime.Tests.Server;

public class UriTemplateTests
{
    [Theory]
    [InlineData("/a/b", true)]
    [InlineData("/a/apple", true)]
    [InlineData("/a", false)]
    [InlineData("/a/", false)]
    [InlineData("/a/b/", false)]
    [InlineData("/a/b/c", false)]
    [InlineData("/A/b", false)]
    public void A_variable_matches_exactly_one_non_empty_segment(string request, bool matches)
    {
        var template = UriTemplate.Parse("/a/{var}");

        Assert.Equal(matches, template.IsMatch(request));
    }

    [Theory]
    [InlineData("/a/b/", true)]
    [InlineData("/a/b", false)]
    public void A_trailing_slash_is_part_of_the_path(string request, bool matches) =>
        Assert.Equal(matches, UriTemplate.Parse("/a/b/").IsMatch(request));

    [Fact]
    public void Matching_returns_the_variable_values()
    {
        var template = UriTemplate.Parse("/chat/{room}/{user}");

        Assert.True(template.TryMatch("/chat/lobby/test2=xyz", out var values));
        Assert.Equal("lobby", values["room"]);
        Assert.Equal("test2=xyz", values["user"]);
        Assert.Equal(["room", "user"], template.Variables);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/b", "does not start with '/'")]
    [InlineData("/a//b", "empty segment")]
    [InlineData("/a/./b", "'.' segment")]
    [InlineData("/a/../b", "'..' segment")]
    [InlineData("/a/{x}/{x}", "more than once")]
    [InlineData("/a/x{y}", "whole segment")]
    [InlineData("/a/{y}z", "whole segment")]
    [InlineData("/a/{y:int}", "invalid variable name")]
    [InlineData("/a/{*rest}", "invalid variable name")]
    [InlineData("/a/b?c", "'?'")]
    public void Malformed_paths_are_deployment_errors(string path, string expectedText)
    {
        var error = Assert.Throws<DeploymentException>(() => UriTemplate.Parse(path));

        Assert.Contains(expectedText, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a/{x}", "/a/{y}", true)]
    [InlineData("/a/{x}/c", "/a/{y}/c", true)]
    [InlineData("/a/{x}", "/a/b", false)]
    [InlineData("/a/b", "/a/b/", false)]
    public void Templates_that_differ_only_in_variable_names_are_equivalent(string first, string second, bool equivalent) =>
        Assert.Equal(equivalent, UriTemplate.Parse(first).Shape == UriTemplate.Parse(second).Shape);
}
