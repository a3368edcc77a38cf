extension MatchScorer {
    /// Published programs matching `demand` (score ≥ `minScore`), best first, at most `limit`.
    public func topPrograms(for demand: DemandProfile, in pool: ProgramPool, limit: Int) -> [RankedMatch] {
        let heap = rankSupplies(for: demand, in: pool.columns, limit: limit, required: SupplyHead.published)
        return heap.ranked { pool.profiles[$0].id }
    }

    /// Talents matching `demand`, best first, at most `limit`. With `consentingOnly` (lists
    /// shown to enterprises) talents without `share_with_enterprises` consent are left out.
    public func topTalents(
        for demand: DemandProfile, in pool: TalentPool, limit: Int, consentingOnly: Bool
    ) -> [RankedMatch] {
        let required = SupplyHead.published | (consentingOnly ? SupplyHead.consenting : 0)
        let heap = rankSupplies(for: demand, in: pool.columns, limit: limit, required: required)
        return heap.ranked { pool.profiles[$0].id }
    }

    /// Open demands matching `program`, best first, at most `limit`.
    public func topDemands(for program: ProgramProfile, in pool: DemandPool, limit: Int) -> [RankedMatch] {
        guard program.isPublished else { return [] }
        return rankDemands(
            in: pool, limit: limit, modes: program.modes.rawValue, rank: program.rank,
            regions: [program.regionCode],
            table: HeldSkillTable(
                skills: program.skills, occupations: program.occupations,
                occupationGroups: program.occupationGroups))
    }

    /// Open demands matching `talent` (any mode), best first, at most `limit`.
    public func topDemands(for talent: TalentProfile, in pool: DemandPool, limit: Int) -> [RankedMatch] {
        rankDemands(
            in: pool, limit: limit, modes: .max, rank: talent.rank, regions: talent.regionCodes,
            table: HeldSkillTable(
                skills: talent.skills, occupations: talent.occupations,
                occupationGroups: talent.occupationGroups))
    }

    /// lvl of a pair a hard filter rejects: so negative that the scans' first bound test drops
    /// it, which lets one comparison do the filters' work.
    static let ineligible = -(1 << 40)

    /// lvl for every `DemandHead` filter key against a side of `rank` whose modes are `modes`,
    /// or `ineligible` when a hard filter fails (mode, level, a closed demand).
    func demandLevels(modes: UInt8, rank: Int) -> [Int] {
        (0...DemandHead.closed).map { key in
            guard key != DemandHead.closed, DemandHead.mode(ofFilter: key) & modes != 0,
                  let lvl = levelPoints(minRank: DemandHead.minRank(ofFilter: key), rank)
            else { return Self.ineligible }
            return lvl
        }
    }

    // The scans themselves, and why they are exact: `SupplyScan.swift`, `DemandScan.swift`.

    /// Programs or talents (`columns`) for one demand. `required`: head flags a candidate
    /// must all have.
    private func rankSupplies(
        for demand: DemandProfile, in columns: SupplyColumns, limit: Int, required: UInt8
    ) -> TopKHeap {
        let heap = TopKHeap(capacity: min(max(limit, 0), columns.heads.count))
        guard demand.isOpen, heap.capacity > 0 else { return heap }
        // lvl for every filter key, or `ineligible` when a hard filter fails.
        let lvlByFilter = (0..<SupplyHead.filterCount).map { key in
            guard SupplyHead.flags(ofFilter: key) & required == required,
                  SupplyHead.modes(ofFilter: key) & demand.modeBit != 0,
                  let lvl = levelPoints(minRank: demand.minRank, SupplyHead.rank(ofFilter: key))
            else { return Self.ineligible }
            return lvl
        }
        let table = AskedSkillTable(demand)
        return table.withScorer { skillScorer in
            columns.heads.withUnsafeBufferPointer { heads in
                columns.skills.withUnsafeBufferPointer { skills in
                    var scan = SupplyScan(
                        demand: demand, columns: columns, heads: heads, skills: skills, table: table, skillScorer: skillScorer,
                        // occ and geo per distinct occupation set and region list, once per request.
                        occupation: columns.occupationPoints(for: demand, config),
                        geoBySet: columns.regionSets.map { bestGeo(demand.regionCode, $0) },
                        lvlByFilter: lvlByFilter, config: config, heap: heap)
                    scan.run()
                    return scan.heap
                }
            }
        }
    }

    /// Demands for one program or talent; `modes` is the mask the demand's mode must hit
    /// (all ones for talents), `regions` the other side's region codes (geo is the best).
    private func rankDemands(
        in pool: DemandPool, limit: Int, modes: UInt8, rank: Int, regions: [Int32], table: HeldSkillTable
    ) -> [RankedMatch] {
        let heap = TopKHeap(capacity: min(max(limit, 0), pool.count))
        guard heap.capacity > 0 else { return [] }
        // occ per occupation id (below) and geo per region code of the pool, once per request.
        let geoByRegion = pool.regions.map { bestGeo($0, regions) }
        let lvlByFilter = demandLevels(modes: modes, rank: rank)
        let ranked = table.withScorer { skillScorer in
            pool.heads.withUnsafeBufferPointer { heads in
                pool.skills.withUnsafeBufferPointer { skills in
                    var scan = DemandScan(
                        pool: pool, heads: heads, skills: skills, table: table, skillScorer: skillScorer,
                        occupation: table.occupationPoints(groups: pool.occupationGroups, config), geoByRegion: geoByRegion, lvlByFilter: lvlByFilter, config: config, heap: heap)
                    scan.run()
                    return scan.heap
                }
            }
        }
        return ranked.ranked { pool.profiles[$0].id }
    }
}
