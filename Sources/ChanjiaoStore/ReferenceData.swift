import ChanjiaoDomain
import Foundation

/// The reference data that ships in `Config/`: regions always, the reward policies and the
/// taxonomies on first start (afterwards the bureau owns them: policies through their route,
/// official lists with the same importer).
extension Store {
    public func loadReferenceData(from files: ProjectFiles) async throws {
        try await ensureRewardPolicies(try files.rewardPolicies())
        let regionText = try String(contentsOf: files.configFile("regions/gbt2260-regions-2024.txt"), encoding: .utf8)
        let changed = try await loadRegions(try RegionCatalog.parse(regionText))
        if changed > 0 { logger.info("regions loaded", metadata: ["changed": "\(changed)"]) }
        let empty = try await read { connection in
            try await connection.query("SELECT NOT EXISTS (SELECT 1 FROM skills)", logger: logger).decode(Bool.self).all()
        }
        guard empty.first == true else { return }
        for kind in [TaxonomyKind.skills, .occupations, .specialties] {
            let text = try String(contentsOf: files.configFile("taxonomy/\(kind.rawValue).csv"), encoding: .utf8)
            let report = try await importTaxonomy(kind, text: text, mode: .allOrNothing)
            guard report.errors.isEmpty else {
                throw ReferenceDataError(file: "taxonomy/\(kind.rawValue).csv", errors: report.errors)
            }
            logger.info("taxonomy loaded", metadata: ["kind": "\(kind.rawValue)", "rows": "\(report.accepted)"])
        }
    }
}

public struct ReferenceDataError: Error, CustomStringConvertible {
    public var file: String
    public var errors: [ImportReport.RowError]
    public var description: String {
        "\(file) is invalid: " + errors.prefix(5).map { "line \($0.row) \($0.field): \($0.message)" }.joined(separator: "; ")
    }
}
