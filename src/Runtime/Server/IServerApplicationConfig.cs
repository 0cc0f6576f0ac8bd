namespace Annotated.WebSockets.Server;

/// <summary>
/// Chooses, at start-up, which endpoints the application deploys: this library's form of Jakarta WebSocket's
/// <c>ServerApplicationConfig</c> (§6.2). There is no class-path scanning here: the source generator registers every
/// <c>[ServerEndpoint]</c> class of the compilation, and this interface filters them and adds programmatic endpoints.
/// Pass one to <c>app.MapAnnotatedWebSockets(application)</c>, or register implementations as services
/// (<c>services.AddSingleton&lt;IServerApplicationConfig, MyApplication&gt;()</c>) for <c>app.MapAnnotatedWebSockets()</c>,
/// which then deploys the union of what they all choose (as Jakarta does with several configs), and nothing else.
/// </summary>
/// <example>
/// <code>
/// sealed class Application : IServerApplicationConfig
/// {
///     public IEnumerable&lt;Type&gt; GetAnnotatedEndpointClasses(IReadOnlySet&lt;Type&gt; scanned) =&gt;
///         scanned.Where(type =&gt; type.Namespace != "MyApp.Experimental");
///
///     public IEnumerable&lt;ServerEndpointConfig&gt; GetEndpointConfigs() =&gt;
///         [new ServerEndpointConfig(typeof(FeedEndpoint), "/feed", services =&gt; new FeedEndpoint())];
/// }
/// </code>
/// </example>
public interface IServerApplicationConfig
{
    /// <summary>
    /// Of the <c>[ServerEndpoint]</c> classes the source generator registered (<paramref name="scanned"/>), those to
    /// deploy. The default deploys them all.
    /// </summary>
    /// <param name="scanned">Every generated server endpoint class of the application (read-only).</param>
    /// <returns>The classes to deploy: each must be one of <paramref name="scanned"/>.</returns>
    IEnumerable<Type> GetAnnotatedEndpointClasses(IReadOnlySet<Type> scanned) => scanned;

    /// <summary>
    /// The programmatic endpoints to deploy, each with its path, factory, subprotocols, extensions and configurator.
    /// Jakarta passes the scanned <c>Endpoint</c> subclasses here; without scanning there are none to pass, so the
    /// application names them. The default deploys none.
    /// </summary>
    /// <returns>The configs to deploy (made with the <see cref="ServerEndpointConfig"/> constructor that takes a factory).</returns>
    IEnumerable<ServerEndpointConfig> GetEndpointConfigs() => [];
}
