import ChanjiaoDomain
import Foundation
import PostgresNIO

/// `GET /v1/stats/overview`: the counts and sums the bureau reports upward, per county of the
/// region served and for the whole region, all read from one snapshot.
extension Store {
    /// One figure by region code: the query selects `(region_code, key, number)`; `key` names
    /// the figure.
    private static let figures: [String] = [
        """
        SELECT region_code, 'enterprises', count(*)::bigint FROM enterprises
        WHERE status = 'active' AND archived_at IS NULL GROUP BY 1
        """,
        """
        SELECT region_code, 'colleges', count(*)::bigint FROM colleges
        WHERE status = 'active' AND archived_at IS NULL GROUP BY 1
        """,
        """
        SELECT region_code, 'programs', count(*)::bigint FROM programs
        WHERE status = 'published' AND owner_active GROUP BY 1
        UNION ALL
        SELECT region_code, 'seats', coalesce(sum(capacity), 0)::bigint FROM programs
        WHERE status = 'published' AND owner_active GROUP BY 1
        """,
        """
        SELECT region_code, 'demand_headcount', coalesce(sum(headcount), 0)::bigint FROM demands
        WHERE status = 'open' AND archived_at IS NULL AND owner_active GROUP BY 1
        """,
        """
        SELECT enterprise_region, 'cooperation_seats', coalesce(sum(seats), 0)::bigint FROM cooperations
        WHERE status IN ('accepted', 'completed') GROUP BY 1
        """,
        """
        SELECT region_code, 'applications.' || level || '.' || status, count(*)::bigint FROM applications GROUP BY 1, 2
        """,
        """
        SELECT region_code, 'certifications.' || level, count(*)::bigint FROM certifications WHERE status = 'active' GROUP BY 1, 2
        """,
        """
        SELECT region_code, 'rewards.' || status || '.count', count(*)::bigint FROM rewards GROUP BY 1, 2
        UNION ALL
        SELECT region_code, 'rewards.' || status || '.amount_fen', coalesce(sum(amount_fen), 0)::bigint FROM rewards GROUP BY 1, 2
        """,
    ]

    /// Kept until the next change to what it counts (`supervisionCache`).
    public func overview() async throws -> String {
        if let kept = supervisionCache.value("overview") { return kept }
        let epoch = supervisionCache.epoch
        let region = rules.region
        let (counties, rows, takenAt) = try await snapshot { connection in
            let counties = try await connection.query(
                "SELECT code, name FROM regions WHERE code LIKE \(region + "%") AND code NOT LIKE '%00' ORDER BY code", logger: logger
            ).decode((String, String).self).all()
            var rows: [(String, String, Int64)] = []
            for figure in Self.figures {
                rows += try await connection.query(PostgresQuery(unsafeSQL: figure), logger: logger).decode((String, String, Int64).self).all()
            }
            let now = try await connection.query("SELECT utc_iso(now())", logger: logger).decode(String.self).all()[0]
            return (counties, rows, now)
        }
        var byCounty: [String: OverviewFigures] = [:]
        var city = OverviewFigures()
        for (code, key, number) in rows where code.hasPrefix(region) {
            byCounty[code, default: OverviewFigures()].add(key, number)
            city.add(key, number)
        }
        let items: [JSONValue] = counties.map { code, name in
            (byCounty[code] ?? OverviewFigures()).json.merging(patch: .object(["region_code": .string(code), "region_name": .string(name)]))
        }
        let json = Self.jsonText(
            .object(["region": .string(region), "as_of": .string(takenAt), "city": city.json, "counties": .array(items)]))
        supervisionCache.remember(json, "overview", readAt: epoch)
        return json
    }
}

/// The overview's figures for one county or the whole region, every one present (zero when
/// nothing is counted).
struct OverviewFigures {
    private var values: [String: Int64] = [:]

    mutating func add(_ key: String, _ number: Int64) { values[key, default: 0] += number }

    var json: JSONValue {
        func value(_ key: String) -> JSONValue { .int(Int(values[key] ?? 0)) }
        var applications: [String: JSONValue] = [:]
        var total: Int64 = 0
        for level in CertificationLevel.allCases {
            var byStatus: [String: JSONValue] = [:]
            for status in ApplicationStatus.allCases {
                let count = values["applications.\(level.rawValue).\(status.rawValue)"] ?? 0
                byStatus[status.rawValue] = .int(Int(count))
                total += count
            }
            applications[level.rawValue] = .object(byStatus)
        }
        applications["total"] = .int(Int(total))
        let certified = CertificationLevel.allCases.map { values["certifications.\($0.rawValue)"] ?? 0 }
        var rewards: [String: JSONValue] = [:]
        for status in RewardStatus.allCases {
            rewards[status.rawValue] = .object([
                "count": value("rewards.\(status.rawValue).count"), "amount_fen": value("rewards.\(status.rawValue).amount_fen"),
            ])
        }
        return .object([
            "enterprises": value("enterprises"), "colleges": value("colleges"), "programs": value("programs"),
            "seats": value("seats"), "demand_headcount": value("demand_headcount"),
            "cooperation_seats": value("cooperation_seats"), "applications": .object(applications),
            "certifications": .object([
                "provincial": .int(Int(certified[0])), "national": .int(Int(certified[1])), "total": .int(Int(certified.reduce(0, +))),
            ]),
            "rewards": .object(rewards),
        ])
    }
}
