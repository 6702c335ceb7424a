import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

describe("clientAddress", () => {
  it("without a trusted proxy, X-Forwarded-For proves nothing: the address is unknown", () => {
    expect(clientAddress("203.0.113.9", 0)).toBeNull();
    expect(clientAddress("198.51.100.1, 203.0.113.9", 0)).toBeNull();
  });

  it("with N trusted proxies, the client is the Nth entry from the right; entries a client wrote are ignored", () => {
    // nginx appended the peer it saw (203.0.113.9) after what the client forged.
    expect(clientAddress("1.2.3.4, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9", 1)).toBe("203.0.113.9");
    // CDN → nginx → Pairdesk: the CDN appended the client, nginx the CDN.
    expect(clientAddress("6.6.6.6, 203.0.113.9, 192.0.2.10", 2)).toBe("203.0.113.9");
    expect(clientAddress("2001:DB8::1", 1)).toBe("2001:db8::1");
  });

  it("a header that did not come through every trusted proxy, or is not an address, gives no address", () => {
    expect(clientAddress("203.0.113.9", 2)).toBeNull();
    expect(clientAddress("not-an-ip", 1)).toBeNull();
    expect(clientAddress("", 1)).toBeNull();
    expect(clientAddress(null, 1)).toBeNull();
  });
});
