import ChanjiaoDomain
import Foundation
import PostgresNIO

/// The bureau's supervision of its counties: targets, recommendation quotas and the red/black
/// list (红黑榜), over the counties of the region served (`rules.region`).
extension Store {
    /// The county's name, when `code` is one of the region's counties; a 422 at `region_code` otherwise.
    private func county(_ code: String, on connection: PostgresConnection) async throws -> String {
        let names = try await connection.query("SELECT name FROM regions WHERE code = \(code)", logger: logger).decode(String.self).all()
        guard rules.isCounty(code), let name = names.first else {
            throw Problem.invalid(field: "region_code", "must be a county (区/县/县级市) of the region \(rules.region) listed in /v1/regions")
        }
        return name
    }

    public func putTarget(year: Int, regionCode: String, _ input: TargetInput, expected: Int? = nil, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            _ = try await county(regionCode, on: connection)
            let person = input.responsible
            return try await upserted(
                "target", key: [String(year), regionCode], expected: expected,
                current: "SELECT target_doc(t, true)::text FROM targets t WHERE t.year = \(year) AND t.region_code = \(regionCode) FOR UPDATE",
                upsert: """
                    INSERT INTO targets AS t (year, region_code, submitted, certified, deadline, responsible_name, responsible_title,
                                              responsible_phone)
                    VALUES (\(year), \(regionCode), \(input.submitted), \(input.certified), \(input.deadline.description)::date,
                            \(person.name), \(person.title), \(person.phone))
                    ON CONFLICT (year, region_code) DO UPDATE SET submitted = excluded.submitted, certified = excluded.certified,
                        deadline = excluded.deadline, responsible_name = excluded.responsible_name,
                        responsible_title = excluded.responsible_title, responsible_phone = excluded.responsible_phone,
                        version = t.version + 1, updated_at = now()
                    RETURNING target_doc(t, true)::text, t.version
                    """, on: connection)
        }
    }

    /// A county's targets; the responsible person's phone only for the bureau and viewers.
    public func target(year: Int, regionCode: String, caller: Caller) async throws -> Document {
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT target_doc(t, \(caller.readsEverything))::text, t.version FROM targets t
                WHERE t.year = \(year) AND t.region_code = \(regionCode)
                """, logger: logger
            ).decode((String, Int).self).all()
        }
        guard let (json, version) = rows.first else { throw Problem.notFound("targets for \(regionCode) in \(year)") }
        return Document(json: json, version: version)
    }

    /// The year's targets of every county, by region code.
    public func targets(year: Int, after: String?, limit: Int, caller: Caller) async throws -> Page {
        var sql = SQLComposer()
        sql.append(
            """
            SELECT target_doc(t, \(sql.bind(caller.readsEverything)))::text, t.region_code FROM targets t
            WHERE t.year = \(sql.bind(year)) AND t.region_code LIKE \(sql.bind(rules.region + "%"))
            """)
        return try await page(sql, after: after, limit: limit, key: "t.region_code", as: String.self)
    }

    public func putQuota(
        year: Int, level: CertificationLevel, regionCode: String, recommendations: Int, expected: Int? = nil, actor: WriteActor
    ) async throws -> WriteOutcome {
        try await write(actor) { connection in
            _ = try await county(regionCode, on: connection)
            return try await upserted(
                "quota", key: [String(year), level.rawValue, regionCode], expected: expected,
                current: """
                    SELECT quota_doc(q)::text FROM quotas q
                    WHERE q.year = \(year) AND q.level = \(level.rawValue) AND q.region_code = \(regionCode) FOR UPDATE
                    """,
                upsert: """
                    INSERT INTO quotas AS q (year, level, region_code, recommendations)
                    VALUES (\(year), \(level.rawValue), \(regionCode), \(recommendations))
                    ON CONFLICT (year, level, region_code) DO UPDATE
                        SET recommendations = excluded.recommendations, version = q.version + 1, updated_at = now()
                    RETURNING quota_doc(q)::text, q.version
                    """, on: connection)
        }
    }

    /// The year's quotas, by region code and level; `used` counts every application that
    /// reached `recommended`.
    public func quotas(year: Int, after: String?, limit: Int) async throws -> Page {
        var sql = SQLComposer()
        sql.append("SELECT quota_doc(q)::text, q.region_code || '/' || q.level FROM quotas q WHERE q.year = \(sql.bind(year))")
        return try await page(sql, after: after, limit: limit, key: "(q.region_code || '/' || q.level)", as: String.self)
    }

    /// The red/black list for `year` as of `asOf` (DOMAIN.md §Targets): the counties with
    /// targets, counted from the applications, decided by `Scoreboard` on exact fractions; kept
    /// until the next change to what it reads.
    public func scoreboard(year: Int, asOf: ChinaDay) async throws -> String {
        let key = "scoreboard/\(year)/\(asOf)"
        if let kept = supervisionCache.value(key) { return kept }
        let epoch = supervisionCache.epoch
        let day = asOf.description
        // One pass over the year's applications, grouped by county.
        let rows = try await read { connection in
            try await connection.query(
                """
                WITH reached AS (
                    SELECT a.region_code,
                           count(*) FILTER (WHERE a.first_submitted_on <= \(day)::date
                                              AND (a.withdrawn_on IS NULL OR a.withdrawn_on > \(day)::date))::int AS submitted,
                           count(*) FILTER (WHERE a.status = 'approved' AND a.decided_on <= \(day)::date)::int AS certified
                    FROM applications a WHERE a.year = \(year) AND a.region_code LIKE \(rules.region + "%")
                    GROUP BY a.region_code)
                SELECT t.region_code, coalesce(g.name, t.region_code), t.submitted, t.certified, t.deadline::text,
                       t.responsible_name, t.responsible_title, coalesce(r.submitted, 0), coalesce(r.certified, 0)
                FROM targets t LEFT JOIN regions g ON g.code = t.region_code LEFT JOIN reached r ON r.region_code = t.region_code
                WHERE t.year = \(year) AND t.region_code LIKE \(rules.region + "%")
                """, logger: logger
            ).decode((String, String, Int, Int, String, String, String, Int, Int).self).all()
        }
        var names: [String: (name: String, title: String, region: String)] = [:]
        var counties: [Scoreboard.County] = []
        for (code, regionName, submittedTarget, certifiedTarget, deadline, person, title, submitted, certified) in rows {
            guard let deadline = ChinaDay(deadline) else { continue }
            names[code] = (person, title, regionName)
            counties.append(
                Scoreboard.County(
                    regionCode: code, submitted: submitted, submittedTarget: submittedTarget, certified: certified,
                    certifiedTarget: certifiedTarget, deadline: deadline))
        }
        let items: [JSONValue] = Scoreboard.rank(counties, asOf: asOf).map { row in
            let county = row.county
            let named = names[county.regionCode]
            return .object([
                "rank": .int(row.rank), "region_code": .string(county.regionCode), "region_name": .string(named?.region ?? ""),
                "submitted": .int(county.submitted), "submitted_target": .int(county.submittedTarget),
                "certified": .int(county.certified), "certified_target": .int(county.certifiedTarget),
                "completion": .double(row.completion.double), "expected": .double(row.expected.double),
                "list": .string(row.list.rawValue), "deadline": .string(county.deadline.description),
                "responsible": .object(["name": .string(named?.name ?? ""), "title": .string(named?.title ?? "")]),
            ])
        }
        let json = Self.jsonText(
            .object(["year": .int(year), "as_of": .string(day), "region": .string(rules.region), "items": .array(items), "next_cursor": .null]))
        supervisionCache.remember(json, key, readAt: epoch)
        return json
    }
}
