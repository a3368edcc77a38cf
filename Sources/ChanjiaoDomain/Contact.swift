/// A contact person of an organization.
public struct Contact: Codable, Sendable, Equatable {
    public var name: String
    public var phone: String?
    public var email: String?

    public init(name: String, phone: String? = nil, email: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
    }

    static func read(_ reader: FieldReader) -> Contact? {
        reader.rejectUnknown(allowed: ["name", "phone", "email"])
        let name = reader.string("name", maxLength: 100)
        let phone = reader.string("phone", required: false, maxLength: 20)
        let email = reader.string("email", required: false, maxLength: 200)
        if let phone, !Contact.isPhone(phone) {
            reader.log.add(reader.field("phone"), "must be a mobile number (11 digits) or a landline such as 0398-2345678")
        }
        if let email, !Contact.isEmail(email) {
            reader.log.add(reader.field("email"), "must be an e-mail address")
        }
        guard let name else { return nil }
        return Contact(name: name, phone: phone, email: email)
    }

    public static func isMobile(_ text: String) -> Bool {
        let digits = Array(text.utf8)
        return digits.count == 11 && digits[0] == UInt8(ascii: "1")
            && (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(digits[1])
            && digits.allSatisfy { (48...57).contains($0) }
    }

    public static func isPhone(_ text: String) -> Bool {
        if isMobile(text) { return true }
        let parts = text.split(separator: "-")
        return parts.count == 2 && (3...4).contains(parts[0].count) && (7...8).contains(parts[1].count)
            && parts.allSatisfy { $0.utf8.allSatisfy { (48...57).contains($0) } } && parts[0].first == "0"
    }

    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !text.contains(" ")
    }
}
