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

    /// lvl of a pair a hard filter rejects: so negative that the pruning test below drops it,
    /// which lets one comparison do the filters' work.
    static let ineligible = -(1 << 40)

    // Both scans below are brute force with one safe shortcut each. Pruning: the score is at
    // most `skillMax + occ + geo + lvl` (N ≤ 120·W; without skills occ ≤ occRelated), so a
    // candidate whose bound is below `minScore`, or below the score of the worst of k kept
    // entries, provably cannot be in the result, and its skill part is not computed. Anything
    // that could tie is still scored (a tie with a lower id enters). Ranking programs or
    // talents, a candidate that passes has its skill part bounded once more, from bit masks
    // (`AskedSkillTable.Scorer.creditBound`), before the exact one. Second, whether the exact
    // score reaches that bar is decided by cross-multiplication; only candidates that enter
    // the heap pay for the division that rounds their score.

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
        return AskedSkillTable(demand).withScorer { skillScorer in
            columns.heads.withUnsafeBufferPointer { heads in
                columns.skills.withUnsafeBufferPointer { skills in
                    var scan = SupplyScan(
                        demand: demand, columns: columns, heads: heads, skills: skills, skillScorer: skillScorer,
                        // occ + geo per distinct occupation set and region list, once per request.
                        occBySet: columns.occupationSets.map { occupationPoints(demand, $0.occupations, $0.groups) },
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
        var heap = TopKHeap(capacity: min(max(limit, 0), pool.count))
        guard heap.capacity > 0 else { return [] }
        let config = self.config
        // occ per occupation id and geo per region code of the pool, once per request.
        let occByOccupation = table.occupationPoints(groups: pool.occupationGroups, config)
        let geoByRegion = pool.regions.map { bestGeo($0, regions) }
        let lvlByFilter = (0...DemandHead.closed).map { key in
            guard key != DemandHead.closed, DemandHead.mode(ofFilter: key) & modes != 0,
                  let lvl = levelPoints(minRank: DemandHead.minRank(ofFilter: key), rank)
            else { return Self.ineligible }
            return lvl
        }
        var bar = config.minScore
        let supplyMask = table.skillMask
        table.withScorer { skillScorer in
            pool.heads.withUnsafeBufferPointer { heads in
                pool.skills.withUnsafeBufferPointer { skills in
                    for index in heads.indices {
                        let head = heads[index]
                        let lvl = lvlByFilter[Int(head.filter)]
                        let occ = Int(occByOccupation[Int(head.occupation)])
                        let rest = occ + geoByRegion[Int(head.regionIndex)] + lvl
                        let overlaps = head.skillMask & supplyMask != 0
                        if (head.weightSum == 0 || overlaps ? config.skillMax : 0) + rest < bar { continue }
                        let numerator: Int, divisor: Int
                        if head.weightSum == 0 {
                            (numerator, divisor) = (config.skillMax * occ + config.occRelated * rest, config.occRelated)
                        } else {
                            let n = overlaps ? skillScorer.numerator(skills, Int(head.skillStart)..<Int(head.skillEnd)) : 0
                            let denominator = ScoreMath.maxCredit * Int(head.weightSum)
                            (numerator, divisor) = (config.skillMax * n + denominator * rest, denominator)
                        }
                        guard ScoreMath.roundHalfEven(numerator, divisor, isAtLeast: bar) else { continue }
                        heap.offer(
                            score: ScoreMath.roundHalfEven(numerator, divisor),
                            key: pool.keys[index], index: index)
                        bar = max(config.minScore, heap.entryScore)
                    }
                }
            }
        }
        return heap.ranked { pool.profiles[$0].id }
    }
}
