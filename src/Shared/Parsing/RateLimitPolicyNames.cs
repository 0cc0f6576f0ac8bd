using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// The <c>RateLimitPolicy</c> argument of <c>[ServerEndpoint]</c> and <c>[OnMessage]</c>, read the same way by the
/// generator (which emits it into the registration) and the analyzers (which report an empty name).
/// </summary>
internal static class RateLimitPolicyNames
{
    /// <summary>The attribute property's name.</summary>
    public const string PropertyName = "RateLimitPolicy";

    /// <summary>The policy name given to <paramref name="attribute"/>, or null when none (absent or null).</summary>
    public static string? Read(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == PropertyName && argument.Value is { Kind: TypedConstantKind.Primitive, Value: string name })
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Whether a policy could have this name: the server refuses empty and white-space names.</summary>
    public static bool CanName(string name) => !string.IsNullOrWhiteSpace(name);
}
