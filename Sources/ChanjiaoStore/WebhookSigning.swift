import Crypto
import Foundation

/// Standard Webhooks 1.0 signatures: `v1,` and the base64 HMAC-SHA256, keyed by the base64
/// part of the `whsec_` secret, over `id.timestamp.body`.
public enum WebhookSigning {
    /// A new secret: `whsec_` and 24 random bytes in base64.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }

    /// The `webhook-signature` entry for one secret; nil when the secret is not `whsec_` and base64.
    public static func signature(secret: String, id: String, timestamp: Int, body: String) -> String? {
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The header's value: one signature per secret still in force, space-separated, so a
    /// receiver that has not yet switched to a rotated secret still verifies.
    public static func header(secrets: [String], id: String, timestamp: Int, body: String) -> String {
        secrets.compactMap { signature(secret: $0, id: id, timestamp: timestamp, body: body) }.joined(separator: " ")
    }
}
