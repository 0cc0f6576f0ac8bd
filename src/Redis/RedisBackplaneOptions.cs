namespace Annotated.WebSockets.Redis;

/// <summary>Placeholder replaced below.</summary>
public sealed class RedisBackplaneOptions
{
}
