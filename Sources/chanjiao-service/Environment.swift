import ArgumentParser
import ChanjiaoAPI
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Logging
import PostgresNIO

/// Settings come from the environment (12-factor); a missing required one stops the command.
enum Environment {
    static func require(_ name: String, hint: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw ValidationError("\(name) is not set: \(hint)")
        }
        return value
    }

    /// A duration: seconds (`43200`) or a number with a unit (`90s`, `30m`, `12h`, `7d`).
    static func duration(_ name: String, default value: TimeInterval) throws -> TimeInterval {
        guard let text = ProcessInfo.processInfo.environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty
        else { return value }
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let unit = text.last.flatMap { units[$0] }
        guard let number = Double(unit == nil ? text : String(text.dropLast())), number > 0, number * (unit ?? 1) <= 90 * 86400 else {
            throw ValidationError("\(name) must be a duration such as 43200, 30m or 12h (at most 90 days)")
        }
        return number * (unit ?? 1)
    }

    /// A comma-separated list of IP addresses or CIDR ranges.
    static func addresses(_ name: String, default value: [AddressRange]) throws -> [AddressRange] {
        guard let text = ProcessInfo.processInfo.environment[name] else { return value }
        guard let ranges = AddressRange.list(text) else {
            throw ValidationError("\(name) must be a comma-separated list of addresses or ranges, e.g. 10.0.0.0/8, ::1")
        }
        return ranges
    }

    static func database() throws -> DatabaseURL {
        try DatabaseURL(try require("DATABASE_URL", hint: "e.g. postgres://chanjiao@127.0.0.1:5432/chanjiao (scripts/run sets it)"))
    }

    /// `CHANJIAO_REGION` (default `4112`), `CHANJIAO_CERTIFICATION_YEARS` (default 3) and
    /// `CHANJIAO_NATIONAL_NEEDS_PROVINCIAL` (default true).
    static func certificationRules() throws -> CertificationRules {
        let environment = ProcessInfo.processInfo.environment
        var rules = CertificationRules()
        if let region = environment["CHANJIAO_REGION"] {
            guard CertificationRules.isRegionPrefix(region) else {
                throw ValidationError("CHANJIAO_REGION must be a region code prefix of 2, 4 or 6 digits, such as 4112")
            }
            rules.region = region
        }
        if let text = environment["CHANJIAO_CERTIFICATION_YEARS"] {
            guard let years = Int(text), (1...10).contains(years) else {
                throw ValidationError("CHANJIAO_CERTIFICATION_YEARS must be a whole number of years from 1 to 10")
            }
            rules.validityYears = years
        }
        if environment["CHANJIAO_NATIONAL_NEEDS_PROVINCIAL"] != nil {
            rules.nationalNeedsProvincial = try flag("CHANJIAO_NATIONAL_NEEDS_PROVINCIAL")
        }
        return rules
    }

    /// `true` or `false`; unset: false.
    static func flag(_ name: String) throws -> Bool {
        guard let text = ProcessInfo.processInfo.environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty
        else { return false }
        guard let flag = Bool(text) else { throw ValidationError("\(name) must be true or false") }
        return flag
    }

    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info") ?? .info
        return logger
    }

    /// Runs `body` with a connected store, then shuts the client down.
    static func withStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
        let logger = logger("chanjiao")
        let client = try database().client(logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            do {
                return try await body(Store(client: client, logger: logger, rules: try certificationRules()))
            } catch let error as PSQLError {
                // The operator's own command: the server's message helps, and no client sees it.
                throw ValidationError("database error: \(String(reflecting: error))")
            }
        }
    }
}
