import ChanjiaoDomain
import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Which addresses webhooks may reach (against SSRF): public ones only. Private, shared,
/// link-local (169.254.0.0/16, where cloud metadata lives), multicast and reserved ranges are
/// refused whatever the settings; loopback only unless `allowLoopback` (tests and the demo).
/// A URL is checked when subscribed and again before every attempt, after resolving its host,
/// and the attempt connects to the very address that was checked.
public struct WebhookAddressPolicy: Sendable {
    public var allowLoopback: Bool

    public init(allowLoopback: Bool = false) {
        self.allowLoopback = allowLoopback
    }

    static let refused: [(range: AddressRange, what: String)] = [
        ("0.0.0.0/8", "a 'this network' address"), ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"), ("169.254.0.0/16", "a link-local (metadata) address"),
        ("172.16.0.0/12", "a private address"), ("192.0.0.0/24", "an IETF protocol address"),
        ("192.168.0.0/16", "a private address"), ("198.18.0.0/15", "a benchmarking address"),
        ("224.0.0.0/4", "a multicast address"), ("240.0.0.0/4", "a reserved address"),
        ("::/96", "an unspecified or IPv4-compatible address"), ("64:ff9b::/96", "a NAT64 address"),
        ("fc00::/7", "a private (unique local) address"), ("fe80::/10", "a link-local address"),
        ("ff00::/8", "a multicast address"),
    ].map { (AddressRange($0.0)!, $0.1) }

    /// What kind of address a webhook may not reach this is ("a private address"); nil when it may.
    public func refusal(_ address: String) -> String? {
        guard AddressRange.parse(address) != nil else { return "not an address that can be checked" }
        if AddressRange.loopback.contains(where: { $0.contains(address) }) {
            return allowLoopback ? nil : "a loopback address"
        }
        return Self.refused.first(where: { $0.range.contains(address) })?.what
    }

    /// The host of a URL (without an IPv6 literal's brackets) and the first of its addresses,
    /// once every address it resolves to is allowed; otherwise the reason it is refused.
    public func check(_ url: URL) async -> Result<(host: String, address: String), WebhookRefusal> {
        // A subscription stored before a rule was added meets it here, not in the HTTP client.
        if let problem = WebhookInput.urlProblem(url.absoluteString) { return .failure(WebhookRefusal(reason: "the URL \(problem)")) }
        guard var host = URLComponents(url: url, resolvingAgainstBaseURL: false)?.host, !host.isEmpty else {
            return .failure(WebhookRefusal(reason: "the URL names no host"))
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses = AddressRange.parse(host) != nil ? [host] : await Self.resolve(host)
        guard let first = addresses.first else { return .failure(WebhookRefusal(reason: "\(host) does not resolve to an address")) }
        for address in addresses {
            guard let what = refusal(address) else { continue }
            let subject = address == host ? host : "\(host) resolves to \(address), which"
            return .failure(WebhookRefusal(reason: "\(subject) is \(what); webhooks reach public addresses only"))
        }
        return .success((host, first))
    }

    /// The host's addresses by the system resolver (off the event loops: it blocks).
    static func resolve(_ host: String) async -> [String] {
        (try? await NIOThreadPool.singleton.runIfActive { () -> [String] in
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
            defer { freeaddrinfo(first) }
            var addresses: [String] = []
            var node: UnsafeMutablePointer<addrinfo>? = first
            while let entry = node {
                var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if let address = entry.pointee.ai_addr,
                    getnameinfo(address, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0
                {
                    addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
                node = entry.pointee.ai_next
            }
            return addresses
        }) ?? []
    }
}

/// Why a webhook URL may not be used.
public struct WebhookRefusal: Error, Sendable {
    public var reason: String
}
