import Foundation

/// A new account: username and password rules live here, once.
public struct AccountInput: Sendable, Equatable {
    public var username: String
    public var password: String
    public var role: Role
    public var organizationID: UUID?
    public var regionCode: String?
    public var source: String?

    public init(username: String, password: String, role: Role, organizationID: UUID? = nil, regionCode: String? = nil, source: String? = nil) {
        self.username = username
        self.password = password
        self.role = role
        self.organizationID = organizationID
        self.regionCode = regionCode
        self.source = source
    }

    /// `{username, password, role, organization_id?, region_code?, source?}`; with `fixedRole`,
    /// the role is implied (self-registration) and must not be sent.
    public static func read(_ reader: FieldReader, fixedRole: Role? = nil) -> AccountInput? {
        let log = reader.log
        reader.rejectUnknown(
            allowed: fixedRole == nil
                ? ["username", "password", "role", "organization_id", "region_code", "source"]
                : ["username", "password"])
        let username = reader.string("username", maxLength: 64, minLength: 3)?.lowercased()
        if let username, !isUsername(username) {
            log.add(reader.field("username"), "must be 3–64 of a–z, 0–9, '.', '_' or '-', starting with a letter or digit")
        }
        let password = reader.password("password", username: username)
        let role = fixedRole ?? reader.enumValue("role", Role.self)
        let organization = reader.uuid("organization_id", required: false)
        let region = reader.regionCode("region_code", required: false)
        let source = reader.string("source", required: false, maxLength: 64)
        if let role, fixedRole == nil {
            switch role {
            case .enterprise, .college:
                if organization == nil { log.add(reader.field("organization_id"), "is required for \(role.rawValue) accounts") }
            case .county:
                if region == nil { log.add(reader.field("region_code"), "is required for county accounts") }
                // A county officer acts for one county (区/县/县级市), not a prefecture or province.
                if let region, region.hasSuffix("00") { log.add(reader.field("region_code"), "must be a county's code, not a prefecture's or a province's") }
            case .partner, .bureau, .viewer:
                break
            }
            if region != nil && role != .county {
                log.add(reader.field("region_code"), "only county accounts act for a region")
            }
            if organization != nil && role != .enterprise && role != .college {
                log.add(reader.field("organization_id"), "only enterprise and college accounts act for an organization")
            }
            if let source, role != .partner || !TalentInput.isSourceName(source) {
                log.add(reader.field("source"), role == .partner ? "must be lower-case letters, digits, '-' or '_'" : "only partner accounts have a source")
            }
        }
        guard let username, let password, let role, isUsername(username) else { return nil }
        return AccountInput(
            username: username, password: password, role: role, organizationID: organization, regionCode: region,
            source: role == .partner ? (source ?? username) : nil)
    }

    public static func isUsername(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let allowed: (UInt8) -> Bool = { (97...122).contains($0) || (48...57).contains($0) || $0 == 46 || $0 == 95 || $0 == 45 }
        return (3...64).contains(bytes.count) && bytes.allSatisfy(allowed) && ((97...122).contains(bytes[0]) || (48...57).contains(bytes[0]))
    }
}

extension FieldReader {
    /// A password as typed (not trimmed, never echoed back): 1–128 characters. What it must be
    /// to be set is `password(_:username:)`'s business.
    public func secret(_ name: String) -> String? {
        guard let value = raw(name), value != .null else {
            log.add(field(name), "is required")
            return nil
        }
        guard case .string(let text) = value, (1...PasswordRules.lengths.upperBound).contains(TextRules.length(text)) else {
            log.add(field(name), "must be a string of 1 to \(PasswordRules.lengths.upperBound) characters")
            return nil
        }
        return text
    }

    /// A password: not trimmed, never echoed back, and within `PasswordRules` for `username`.
    public func password(_ name: String, username: String?) -> String? {
        guard let value = raw(name), value != .null else {
            log.add(field(name), "is required")
            return nil
        }
        guard case .string(let text) = value else {
            log.add(field(name), "must be a string")
            return nil
        }
        if let problem = PasswordRules.problem(text, username: username) {
            log.add(field(name), problem)
            return nil
        }
        return text
    }
}
