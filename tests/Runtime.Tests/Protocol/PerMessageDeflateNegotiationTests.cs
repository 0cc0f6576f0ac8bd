using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// RFC 7692 offer/response negotiation: accepted and declined offers and the exact response text.
public sealed class PerMessageDeflateNegotiationTests
{
    private static readonly PerMessageDeflateOptions Defaults = new();

    [Theory]
    [InlineData("permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover")]
    [InlineData("permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=15", "permessage-deflate; server_max_window_bits=15")]   // accepting the parameter means answering it (RFC 7692 §7.1.2.1)
    [InlineData("permessage-deflate; client_max_window_bits=\"10\"", "permessage-deflate")]
    [InlineData("x-webkit-deflate-frame, permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; server_max_window_bits=8, permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover")]
    [InlineData("permessage-deflate; unknown_param, permessage-deflate", "permessage-deflate")]
    public void Server_accepts_the_first_acceptable_offer(string offer, string expectedResponse)
    {
        Assert.True(PerMessageDeflateNegotiator.TryNegotiate([offer], Defaults, out PerMessageDeflateParameters? parameters, out string? response));
        Assert.Equal(expectedResponse, response);
        Assert.Equal(15, parameters.ServerMaxWindowBits);
    }

    [Theory]
    [InlineData("permessage-deflate; server_max_window_bits=9", 9, "permessage-deflate; server_max_window_bits=9")]
    [InlineData("permessage-deflate; server_max_window_bits=10", 10, "permessage-deflate; server_max_window_bits=10")]
    [InlineData("permessage-deflate; server_max_window_bits=14", 14, "permessage-deflate; server_max_window_bits=14")]
    [InlineData("permessage-deflate; server_max_window_bits=\"12\"; client_max_window_bits", 12, "permessage-deflate; server_max_window_bits=12")]
    [InlineData("permessage-deflate; server_no_context_takeover; server_max_window_bits=9", 9, "permessage-deflate; server_no_context_takeover; server_max_window_bits=9")]
    [InlineData("permessage-deflate; server_max_window_bits=8, permessage-deflate; server_max_window_bits=11", 11, "permessage-deflate; server_max_window_bits=11")]
    public void Server_accepts_a_smaller_server_window_and_answers_it(string offer, int expectedBits, string expectedResponse)
    {
        Assert.True(PerMessageDeflateNegotiator.TryNegotiate([offer], Defaults, out PerMessageDeflateParameters? parameters, out string? response));
        Assert.Equal(expectedResponse, response);
        Assert.Equal(expectedBits, parameters.ServerMaxWindowBits);
    }

    [Theory]
    [InlineData("permessage-deflate; server_max_window_bits=8")]      // zlib cannot deflate with an 8-bit window
    [InlineData("permessage-deflate; server_max_window_bits")]        // value required
    [InlineData("permessage-deflate; server_max_window_bits=16")]
    [InlineData("permessage-deflate; server_max_window_bits=7")]
    [InlineData("permessage-deflate; server_max_window_bits=010")]    // leading zero
    [InlineData("permessage-deflate; client_max_window_bits=abc")]
    [InlineData("permessage-deflate; server_no_context_takeover=1")]  // no value allowed
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover")]
    [InlineData("permessage-deflate; client_max_window_bits; client_max_window_bits=9")]
    [InlineData("permessage-deflate; mystery")]
    [InlineData("x-webkit-deflate-frame")]
    [InlineData("")]
    public void Server_declines_unacceptable_offers(string offer)
    {
        Assert.False(PerMessageDeflateNegotiator.TryNegotiate([offer], Defaults, out _, out _));
    }

    [Fact]
    public void Server_declines_when_disabled()
    {
        Assert.False(PerMessageDeflateNegotiator.TryNegotiate(["permessage-deflate"], new PerMessageDeflateOptions { Enabled = false }, out _, out _));
    }

    [Fact]
    public void Server_options_add_context_takeover_parameters()
    {
        var options = new PerMessageDeflateOptions { ServerNoContextTakeover = true, ClientNoContextTakeover = true };
        Assert.True(PerMessageDeflateNegotiator.TryNegotiate(["permessage-deflate"], options, out var parameters, out string? response));
        Assert.Equal("permessage-deflate; server_no_context_takeover; client_no_context_takeover", response);
        Assert.True(parameters.ServerNoContextTakeover);
        Assert.True(parameters.ClientNoContextTakeover);
    }

    [Theory]
    [InlineData("permessage-deflate; client_max_window_bits", 10, "permessage-deflate; client_max_window_bits=10", 10)]
    [InlineData("permessage-deflate; client_max_window_bits", 8, "permessage-deflate; client_max_window_bits=9", 9)]   // 9: zlib cannot do 8
    [InlineData("permessage-deflate; client_max_window_bits=12", 10, "permessage-deflate; client_max_window_bits=10", 10)]
    [InlineData("permessage-deflate; client_max_window_bits=9", 12, "permessage-deflate", 9)]   // the client already uses less
    [InlineData("permessage-deflate", 10, "permessage-deflate", 15)]                            // may not ask without an offer
    public void Server_limits_the_client_window_only_where_the_offer_allows(string offer, int wanted, string expectedResponse, int expectedBits)
    {
        var options = new PerMessageDeflateOptions { ClientMaxWindowBits = wanted };
        Assert.True(PerMessageDeflateNegotiator.TryNegotiate([offer], options, out var parameters, out string? response));
        Assert.Equal(expectedResponse, response);
        Assert.Equal(expectedBits, parameters.ClientMaxWindowBits);
    }

    [Fact]
    public void Offers_split_across_header_values_are_all_considered()
    {
        Assert.True(PerMessageDeflateNegotiator.TryNegotiate(["foo", "permessage-deflate; server_max_window_bits=8", "permessage-deflate;server_no_context_takeover"], Defaults, out var parameters, out string? response));
        Assert.Equal("permessage-deflate; server_no_context_takeover", response);
        Assert.True(parameters.ServerNoContextTakeover);
    }

    [Theory]
    [InlineData(false, false, 15, "permessage-deflate")]
    [InlineData(true, true, 15, "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData(false, false, 10, "permessage-deflate; server_max_window_bits=10")]
    public void Client_offer_text(bool serverNoContext, bool clientNoContext, int serverBits, string expected)
    {
        var options = new PerMessageDeflateOptions { ServerNoContextTakeover = serverNoContext, ClientNoContextTakeover = clientNoContext, ServerMaxWindowBits = serverBits };
        Assert.Equal(expected, PerMessageDeflateNegotiator.CreateOffer(options));
    }

    [Theory]
    [InlineData("permessage-deflate", true)]
    [InlineData("permessage-deflate; server_no_context_takeover", true)]
    [InlineData("permessage-deflate; client_no_context_takeover", true)]
    [InlineData("permessage-deflate; server_max_window_bits=12", true)]
    [InlineData("permessage-deflate; client_max_window_bits=12", false)]   // not offered
    [InlineData("permessage-deflate; server_max_window_bits=20", false)]
    [InlineData("permessage-deflate; bogus", false)]
    [InlineData("permessage-deflate, permessage-deflate", false)]
    [InlineData("x-other", false)]
    public void Client_checks_the_servers_response(string response, bool acceptable)
    {
        Assert.Equal(acceptable, PerMessageDeflateNegotiator.TryAcceptResponse(response, Defaults, out var parameters));
        if (acceptable)
        {
            Assert.Equal(response.Contains("server_no_context_takeover"), parameters!.ServerNoContextTakeover);
            Assert.Equal(response.Contains("client_no_context_takeover"), parameters.ClientNoContextTakeover);
        }
    }

    [Fact]
    public void Client_fails_a_response_that_ignores_its_requests()
    {
        var options = new PerMessageDeflateOptions { ServerNoContextTakeover = true, ServerMaxWindowBits = 10 };
        Assert.False(PerMessageDeflateNegotiator.TryAcceptResponse("permessage-deflate; server_max_window_bits=10", options, out _));
        Assert.False(PerMessageDeflateNegotiator.TryAcceptResponse("permessage-deflate; server_no_context_takeover; server_max_window_bits=11", options, out _));
        Assert.True(PerMessageDeflateNegotiator.TryAcceptResponse("permessage-deflate; server_no_context_takeover; server_max_window_bits=9", options, out var parameters));
        Assert.Equal(9, parameters.ServerMaxWindowBits);
    }

    [Fact]
    public void Accept_key_matches_the_rfc_example()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.ComputeAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
