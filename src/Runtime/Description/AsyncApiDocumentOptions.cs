using System.Reflection;

namespace Annotated.WebSockets.Description;

/// <summary>What an AsyncAPI document says about the application beyond its endpoints.</summary>
public sealed class AsyncApiDocumentOptions
{
    /// <summary>
    /// The options of an application's document: its title the assembly's name, its version the assembly's informational
    /// version without a <c>+commit</c> suffix (else <c>1.0.0</c>). The served document and the build-time one use these.
    /// </summary>
    /// <param name="assembly">The application's assembly.</param>
    /// <returns>New options.</returns>
    public static AsyncApiDocumentOptions FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var options = new AsyncApiDocumentOptions();
        if (assembly.GetName().Name is { Length: > 0 } name)
        {
            options.Title = name;
        }

        if (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { Length: > 0 } version)
        {
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            options.Version = plus < 0 ? version : version.Substring(0, plus);
        }

        return options;
    }

    /// <summary>The document's <c>info.title</c>. Default: <c>WebSocket endpoints</c>.</summary>
    public string Title { get; set; } = "WebSocket endpoints";

    /// <summary>The document's <c>info.version</c>, the version of the application's API. Default: <c>1.0.0</c>.</summary>
    public string Version { get; set; } = "1.0.0";

    /// <summary>The document's <c>info.description</c>, or null for none.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// The servers the document lists. Empty by default: a document written at build time cannot know where the
    /// application will run. <c>MapAsyncApiDocument</c> adds the server the request came to.
    /// </summary>
    public IList<AsyncApiServer> Servers { get; } = [];
}

/// <summary>A server of an AsyncAPI document: where the channels' addresses are resolved.</summary>
public sealed class AsyncApiServer
{
    /// <summary>Creates a server entry.</summary>
    /// <param name="name">The server's key in the document, such as <c>production</c>.</param>
    /// <param name="host">The host and optional port, such as <c>chat.example.com</c> or <c>localhost:5000</c>.</param>
    /// <param name="protocol"><c>ws</c> or <c>wss</c>.</param>
    /// <param name="pathname">The path the application is mounted at (ASP.NET Core's <c>PathBase</c>), or null for the root.</param>
    public AsyncApiServer(string name, string host, string protocol, string? pathname = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        Name = name;
        Host = host;
        Protocol = protocol;
        Pathname = pathname;
    }

    /// <summary>The server's key in the document.</summary>
    public string Name { get; }

    /// <summary>The host and optional port.</summary>
    public string Host { get; }

    /// <summary><c>ws</c> or <c>wss</c>.</summary>
    public string Protocol { get; }

    /// <summary>The path the application is mounted at, or null for the root.</summary>
    public string? Pathname { get; }
}
