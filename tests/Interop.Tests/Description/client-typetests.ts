// Type tests of the generated client of the described endpoints: `tsc --strict --noEmit` must pass, so each line
// marked as an expected error must be one (an unused marker is error TS2578).
import {
  connectOrdersEndpoint,
  connectStreamsEndpoint,
  connectBytesEndpoint,
  type Order,
  type OrdersEndpointConnection,
  type OrdersEndpointReceive,
  type WebSocketConstructor,
} from "./described-client.js";

declare const connection: OrdersEndpointConnection;
const order: Order = { id: "o-1", lines: [{ product: "tea", quantity: 2, unitPrice: 1.5 }], placedAt: "2026-12-06T08:00:00Z" };
connection.send(order);

// @ts-expect-error a wrong payload: OrdersEndpoint takes an Order, not text
connection.send("not an order");

// @ts-expect-error a wrong payload: a line's product is a string
connection.send({ id: "o-2", lines: [{ product: 42, quantity: 1, unitPrice: 1 }], placedAt: "2026-12-06T08:00:00Z" });

void connectOrdersEndpoint({ shop: 1 }, { protocols: ["orders.v2", "orders.v1"] });

// @ts-expect-error a missing path parameter: shop
void connectOrdersEndpoint({}, {});

// @ts-expect-error a path parameter of the wrong type: shop is an int
void connectOrdersEndpoint({ shop: "one" });

// @ts-expect-error an unknown subprotocol
void connectOrdersEndpoint({ shop: 1 }, { protocols: ["orders.v3"] });

// @ts-expect-error StreamsEndpoint has no subprotocols at all
void connectStreamsEndpoint({ protocols: ["anything"] });

// @ts-expect-error BytesEndpoint's id is a Guid, written as a string
void connectBytesEndpoint({ id: 42 });

// What the endpoint sends is a union of its reply and its declared messages, nothing else.
connection.onMessage((message: OrdersEndpointReceive) => {
  // @ts-expect-error no message is a number
  const wrong: number = message;
  void wrong;
});

// The browser's WebSocket fits the constructor option.
const browserWebSocket: WebSocketConstructor = WebSocket;
void browserWebSocket;
