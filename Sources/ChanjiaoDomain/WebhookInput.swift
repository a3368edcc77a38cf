import Foundation

/// A new webhook subscription: where to deliver (an `http` or `https` URL) and which feed
/// event types. Which addresses the URL may reach is checked by the API, after resolving it.
public struct WebhookInput: Sendable, Equatable {
    public var url: URL
    public var events: [String]

    public static func read(_ json: JSONValue) throws(Problem) -> WebhookInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["url", "events"])
        let text = reader.string("url", maxLength: 2000)
        var url: URL?
        if let text {
            if let message = urlProblem(text) { log.add("url", message) } else { url = URL(string: text) }
        }
        let events = reader.stringArray("events", maxCount: FeedEventType.all.count) { type in
            FeedEventType.all.contains(type) ? nil : "is not an event type of the change feed (such as program.created)"
        }
        if let events, events.isEmpty { log.add("events", "must name at least one event type") }
        try log.check()
        return WebhookInput(url: url!, events: events!)
    }

    /// Why the text is not a URL a webhook may use: `http` or `https`, a host (an IPv4 address
    /// without brackets), a port from 1 to 65535 if any, no user name or password in it, no
    /// fragment. The deliverer asks again before every attempt: an HTTP client handed port
    /// 99999 traps, which would take the whole service down.
    public static func urlProblem(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            URL(string: text) != nil
        else { return "must be an absolute http or https URL" }
        guard scheme == "http" || scheme == "https" else { return "must use http or https, not \(scheme)" }
        guard let host = components.host, !host.isEmpty else { return "must name a host" }
        if host.hasPrefix("[") && !host.contains(":") { return "must write an IPv4 address without brackets" }
        if components.rangeOfPort != nil, !(1...65535).contains(components.port ?? 0) { return "must have a port from 1 to 65535" }
        if components.user != nil || components.password != nil { return "must not carry a user name or password" }
        if components.fragment != nil { return "must not have a fragment (#…)" }
        return nil
    }
}

/// When a failed webhook delivery is tried again: Standard Webhooks' schedule (immediately,
/// then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure), each wait stretched or
/// shortened by up to a tenth at random, so receivers coming back are not hit all at once.
public struct RetrySchedule: Sendable, Equatable {
    /// The waits before the 2nd, 3rd, … attempt, in seconds.
    public var waits: [Double]
    public var jitter: Double

    public static let standard = RetrySchedule(waits: [5, 300, 1800, 7200, 18000, 36000, 36000], jitter: 0.1)

    public init(waits: [Double], jitter: Double = 0.1) {
        self.waits = waits
        self.jitter = jitter
    }

    /// The wait after the `attempt`-th attempt (1-based) of a round failed; nil when the round
    /// is over and the delivery has failed.
    public func wait(after attempt: Int, random: Double = Double.random(in: -1...1)) -> Double? {
        guard attempt >= 1, attempt <= waits.count else { return nil }
        return waits[attempt - 1] * (1 + jitter * random)
    }
}
