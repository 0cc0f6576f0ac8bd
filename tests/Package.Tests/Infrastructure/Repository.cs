namespace Annotated.WebSockets.Package.Tests.Infrastructure;

/// <summary>Paths in the repository, found by walking up from the test assembly to <c>Annotated.sln</c>.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Annotated.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Annotated.sln above '{AppContext.BaseDirectory}'.");
    }
}
