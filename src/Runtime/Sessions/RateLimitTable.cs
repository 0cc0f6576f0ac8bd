namespace Annotated.WebSockets.Sessions;

/// The message rate-limit policies of a container, frozen at start-up, by name (ordinal). The client container has
/// none (<see cref="Empty"/>).
internal sealed class RateLimitTable
{
    public static readonly RateLimitTable Empty = new(new Dictionary<string, RateLimitRule>(StringComparer.Ordinal), []);

    private readonly Dictionary<string, RateLimitRule> _rules;

    private RateLimitTable(Dictionary<string, RateLimitRule> rules, IReadOnlyList<string> errors)
    {
        _rules = rules;
        Errors = errors;
    }

    /// What is wrong with the configured policies (a policy without buckets); reported at deployment.
    public IReadOnlyList<string> Errors { get; }

    /// The names of the policies, sorted, for error messages.
    public IEnumerable<string> Names => _rules.Keys.Order(StringComparer.Ordinal);

    public static RateLimitTable Create(IReadOnlyDictionary<string, MessageRateLimitPolicy> policies, TimeProvider clock)
    {
        if (policies.Count == 0)
        {
            return Empty;
        }

        var rules = new Dictionary<string, RateLimitRule>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var (name, policy) in policies)
        {
            if (policy.Freeze(name, clock, out var error) is { } rule)
            {
                rules.Add(name, rule);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return new RateLimitTable(rules, errors);
    }

    public bool TryGet(string name, out RateLimitRule rule) => _rules.TryGetValue(name, out rule!);

    /// The problems of an endpoint's policy names: each name that is not a configured policy.
    public IEnumerable<string> Check(string? endpointPolicy, string? textPolicy, string? binaryPolicy, string? pongPolicy)
    {
        foreach (var (name, where) in new[] { (endpointPolicy, "[ServerEndpoint(RateLimitPolicy)]"), (textPolicy, "the text [OnMessage(RateLimitPolicy)]"), (binaryPolicy, "the binary [OnMessage(RateLimitPolicy)]"), (pongPolicy, "the pong [OnMessage(RateLimitPolicy)]") })
        {
            if (name is not null && !_rules.ContainsKey(name))
            {
                var known = _rules.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", Names.Select(static n => "'" + n + "'"));
                yield return $"{where} names the message rate-limit policy '{name}', which is not configured ({known}); add it with options.AddMessageRateLimitPolicy(\"{name}\", …).";
            }
        }
    }
}
