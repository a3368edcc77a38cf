import Synchronization

/// What every password must be — for accounts, registrations, resets, one's own change and the
/// bootstrap `admin` alike: 10–128 characters, not containing the username, not a common one.
public enum PasswordRules {
    public static let lengths = 10...128

    private static let commonList = Mutex<Set<String>>([])

    /// The shipped list of common passwords (`Config/common-passwords.txt`), loaded at start.
    public static func useCommonPasswords(_ passwords: some Sequence<String>) {
        let set = Set(passwords.map { $0.lowercased() })
        commonList.withLock { $0 = set }
    }

    /// Why `password` is not acceptable for `username`, or nil when it is.
    public static func problem(_ password: String, username: String?) -> String? {
        guard lengths.contains(TextRules.length(password)) else {
            return "must have \(lengths.lowerBound) to \(lengths.upperBound) characters"
        }
        let lowered = password.lowercased()
        if let username, !username.isEmpty, lowered.contains(username.lowercased()) {
            return "must not contain the username"
        }
        if commonList.withLock({ $0.contains(lowered) }) {
            return "is one of the most common passwords; choose another"
        }
        return nil
    }
}
