import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An IPv4 or IPv6 address range in CIDR notation (`10.0.0.0/8`, `::1`, `127.0.0.1`).
public struct AddressRange: Sendable, Equatable {
    let bytes: [UInt8]
    let prefix: Int

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let bytes = Self.parse(String(first)) else { return nil }
        let bits = bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : bits
        guard let prefix, (0...bits).contains(prefix) else { return nil }
        self.bytes = bytes
        self.prefix = prefix
    }

    public func contains(_ address: String) -> Bool {
        guard let other = Self.parse(address), other.count == bytes.count else { return false }
        var remaining = prefix
        for index in bytes.indices where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if bytes[index] & mask != other[index] & mask { return false }
            remaining -= take
        }
        return true
    }

    /// The address's bytes (4 or 16); IPv4-mapped IPv6 addresses count as IPv4.
    static func parse(_ text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        default:
            return nil
        }
    }

    public static let loopback = [AddressRange("127.0.0.0/8")!, AddressRange("::1")!]

    /// A comma-separated list; nil when any entry is not an address or a range.
    public static func list(_ text: String) -> [AddressRange]? {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let ranges = entries.compactMap(AddressRange.init)
        return ranges.count == entries.count ? ranges : nil
    }
}

extension Request {
    /// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
    /// address in `X-Forwarded-For` that is not itself a trusted proxy. An untrusted peer's
    /// `X-Forwarded-For` is ignored, so nobody picks their own address.
    func clientAddress(_ context: AppContext, trustedProxies: [AddressRange]) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        guard trustedProxies.contains(where: { $0.contains(peer) }) else { return peer }
        let forwarded = headers[values: HTTPField.Name("X-Forwarded-For")!]
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in forwarded.reversed() where !trustedProxies.contains(where: { $0.contains(hop) }) {
            return AddressRange.parse(hop) != nil ? hop : peer
        }
        return peer
    }
}
