namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// How a message method takes its messages; mirrors the runtime's <c>MessageDelivery</c>, which the
/// compiler-side assemblies cannot reference.
/// </summary>
internal enum HandlerDelivery
{
    /// <summary>Not a message method, or a pong method.</summary>
    None = 0,

    /// <summary>Whole messages.</summary>
    Whole = 1,

    /// <summary>Parts, each with a <c>bool last</c> flag.</summary>
    Partial = 2,

    /// <summary>A <c>TextReader</c> or <c>Stream</c>.</summary>
    Stream = 3,
}
