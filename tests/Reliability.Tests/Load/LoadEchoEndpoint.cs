using System.Globalization;

namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// Echoes each text message of the form <c>client:sequence:padding</c> after checking, per session, that the
/// sequence numbers arrive 0, 1, 2, … from one client, so the server side detects loss, duplication and
/// reordering too; what it sees goes to the host's <see cref="LoadLedger"/>.
/// </summary>
[ServerEndpoint("/load/echo")]
public sealed class LoadEchoEndpoint(LoadLedger ledger)
{
    private int _expected;
    private string? _client;

    [OnOpen]
    public void Open() => ledger.RecordOpen();

    [OnMessage]
    public string Echo(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            ledger.RecordProblem($"malformed message '{text}'");
            return text;
        }

        _client ??= parts[0];
        if (_client != parts[0])
        {
            ledger.RecordProblem($"session of client {_client} received a message of client {parts[0]}");
        }
        else if (sequence != _expected)
        {
            ledger.RecordProblem($"client {_client}: expected message {_expected}, received {sequence}");
        }
        else
        {
            ledger.RecordMessage();
        }

        _expected = sequence + 1;
        return text;
    }

    [OnClose]
    public void Close(CloseReason reason) => ledger.RecordClose(reason.Code);

    [OnError]
    public void Error(Exception error) => ledger.RecordProblem($"OnError: {error.GetType().Name}: {error.Message}");
}
