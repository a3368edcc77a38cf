import Foundation

extension Data {
    /// Base64url without padding (RFC 4648 §5): tokens, secrets and cursors that travel in URLs,
    /// headers and cookies.
    public var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
