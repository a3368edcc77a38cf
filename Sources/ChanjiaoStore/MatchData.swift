import ChanjiaoDomain
import ChanjiaoMatching
import Foundation
import PostgresNIO

/// Reads what matching needs — the taxonomy links and the records' match-relevant fields —
/// straight into the matching module's compact profiles. Skills arrive as parallel arrays,
/// which PostgreSQL and PostgresNIO move far faster than JSON.
extension Store {
    public func matchCatalog() async throws -> MatchCatalog {
        try await read { connection in
            var groups: [String: String] = [:]
            for try await (code, parent) in try await connection.query(
                "SELECT code, parent FROM skills WHERE parent IS NOT NULL", logger: logger
            ).decode((String, String).self) {
                groups[code] = parent
            }
            var related: [String: [String]] = [:]
            for try await (code, occupations) in try await connection.query(
                "SELECT code, related_occupation_codes FROM specialties", logger: logger
            ).decode((String, [String]).self) {
                related[code] = occupations
            }
            return MatchCatalog(skills: groups, relatedOccupations: related)
        }
    }

    /// Programs (all, or those with the given ids), as profiles built through `catalog`.
    public func programProfiles(ids: [UUID]? = nil, catalog: inout MatchCatalog) async throws -> [ProgramProfile] {
        try await programRows(catalog: &catalog) { sql in
            if let ids { sql.append(" AND id = ANY(\(sql.bind(ids)))") }
        }.map(\.0)
    }

    /// Programs matching `filter` (which appends bound conditions), with what gap analysis needs.
    func programRows(
        catalog: inout MatchCatalog, filter: (inout SQLComposer) -> Void
    ) async throws -> [(ProgramProfile, GapAnalysis.ProgramSide)] {
        var sql = SQLComposer(
            """
            SELECT id, specialty_code, ARRAY(SELECT s->>'code' FROM jsonb_array_elements(skills) s),
                   ARRAY(SELECT (s->>'level')::int FROM jsonb_array_elements(skills) s),
                   level, modes, region_code, capacity - seats_taken,
                   status = 'published' AND owner_active AND capacity > seats_taken
            FROM programs WHERE true
            """)
        filter(&sql)
        let query = sql.query
        let rows = try await read { connection in
            try await connection.query(query, logger: logger)
                .decode((UUID, String, [String], [Int], String, [String], String, Int, Bool).self).all()
        }
        var profiles: [(ProgramProfile, GapAnalysis.ProgramSide)] = []
        profiles.reserveCapacity(rows.count)
        for (id, specialty, codes, levels, level, modes, region, capacity, published) in rows {
            profiles.append((try catalog.programProfile(
                id: id, specialtyCode: specialty, skills: zip(codes, levels).map { SkillLevel(code: $0, level: $1) },
                level: EducationLevel(rawValue: level) ?? .shortTerm,
                modes: CooperationModeSet(modes.compactMap(CooperationMode.init(rawValue:))), regionCode: region,
                capacity: capacity, isPublished: published),
                GapAnalysis.ProgramSide(specialtyCode: specialty, regionCode: region, seats: capacity)))
        }
        return profiles
    }

    public func demandProfiles(ids: [UUID]? = nil, catalog: inout MatchCatalog) async throws -> [DemandProfile] {
        try await demandRows(catalog: &catalog) { sql in
            if let ids { sql.append(" AND id = ANY(\(sql.bind(ids)))") }
        }.map(\.0)
    }

    /// Demand matching `filter`, with what gap analysis needs.
    func demandRows(
        catalog: inout MatchCatalog, filter: (inout SQLComposer) -> Void
    ) async throws -> [(DemandProfile, GapAnalysis.DemandSide)] {
        var sql = SQLComposer(
            """
            SELECT id, occupation_code, ARRAY(SELECT s->>'code' FROM jsonb_array_elements(skills) s),
                   ARRAY(SELECT (s->>'level')::int FROM jsonb_array_elements(skills) s),
                   ARRAY(SELECT coalesce((s->>'weight')::int, 1) FROM jsonb_array_elements(skills) s),
                   min_level, mode, region_code, headcount - headcount_taken,
                   status = 'open' AND archived_at IS NULL AND owner_active AND headcount > headcount_taken
            FROM demands WHERE true
            """)
        filter(&sql)
        let query = sql.query
        let rows = try await read { connection in
            try await connection.query(query, logger: logger)
                .decode((UUID, String, [String], [Int], [Int], String, String, String, Int, Bool).self).all()
        }
        var profiles: [(DemandProfile, GapAnalysis.DemandSide)] = []
        profiles.reserveCapacity(rows.count)
        for (id, occupation, codes, levels, weights, minLevel, mode, region, headcount, open) in rows {
            var skills: [WeightedSkill] = []
            for index in codes.indices { skills.append(WeightedSkill(code: codes[index], level: levels[index], weight: weights[index])) }
            profiles.append((try catalog.demandProfile(
                id: id, occupationCode: occupation, skills: skills, minLevel: EducationLevel(rawValue: minLevel) ?? .shortTerm,
                mode: CooperationMode(rawValue: mode) ?? .employment, regionCode: region, isOpen: open),
                GapAnalysis.DemandSide(occupationCode: occupation, skillCodes: codes, regionCode: region, headcount: headcount)))
        }
        return profiles
    }

    public func talentProfiles(ids: [UUID]? = nil, catalog: inout MatchCatalog) async throws -> [TalentProfile] {
        var sql = SQLComposer(
            """
            SELECT id, specialty_code, ARRAY(SELECT s->>'code' FROM jsonb_array_elements(skills) s),
                   ARRAY(SELECT (s->>'level')::int FROM jsonb_array_elements(skills) s),
                   education_level, desired_occupation_codes, region_codes, share_with_enterprises
            FROM talents WHERE true
            """)
        if let ids { sql.append(" AND id = ANY(\(sql.bind(ids)))") }
        let query = sql.query
        let rows = try await read { connection in
            try await connection.query(query, logger: logger)
                .decode((UUID, String?, [String], [Int], String, [String], [String], Bool).self).all()
        }
        var profiles: [TalentProfile] = []
        profiles.reserveCapacity(rows.count)
        for (id, specialty, codes, levels, level, occupations, regions, consent) in rows {
            profiles.append(try catalog.talentProfile(
                id: id, specialtyCode: specialty, skills: zip(codes, levels).map { SkillLevel(code: $0, level: $1) },
                educationLevel: EducationLevel(rawValue: level) ?? .shortTerm, desiredOccupationCodes: occupations,
                regionCodes: regions, consent: consent))
        }
        return profiles
    }
}
