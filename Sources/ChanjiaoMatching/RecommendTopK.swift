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

    // Both scans below are brute force with one safe shortcut each. Pruning: the score is at
    // most `skillMax + occ + geo + lvl` (N ≤ 120·W; without skills occ ≤ occRelated), so a
    // candidate whose bound is below `minScore`, or below the score of the worst of k kept
    // entries, provably cannot be in the result, and its skill part is not computed. Anything
    // that could tie is still scored (a tie with a lower id enters). Second, whether the exact
    // score reaches that bar is decided by cross-multiplication; only candidates that enter
    // the heap pay for the division that rounds their score.

    /// Programs or talents (`columns`) for one demand. `required`: head flags a candidate
    /// must all have.
    private func rankSupplies(
        for demand: DemandProfile, in columns: SupplyColumns, limit: Int, required: UInt8
    ) -> TopKHeap {
        var heap = TopKHeap(capacity: min(max(limit, 0), columns.heads.count))
        guard demand.isOpen, heap.capacity > 0 else { return heap }
        let occBySet = columns.occupationSets.map { occupationPoints(demand, $0.occupations, $0.groups) }
        let region = demand.regionCode
        let weightSum = demand.weightSum
        let denominator = ScoreMath.maxCredit * weightSum
        let modeBit = demand.modeBit
        let minRank = demand.minRank
        let config = self.config
        AskedSkillTable(demand).withScorer { skillScorer in
            columns.heads.withUnsafeBufferPointer { heads in
                columns.skills.withUnsafeBufferPointer { skills in
                    columns.regions.withUnsafeBufferPointer { regions in
                        for index in heads.indices {
                            let head = heads[index]
                            guard head.flags & required == required, head.modes & modeBit != 0 else { continue }
                            let rank = Int(head.rank)
                            guard rank >= minRank - 1 else { continue }
                            let lvl = rank >= minRank ? config.levelMeets : config.levelOneBelow
                            var geo = config.geoOther
                            for r in Int(head.regionStart)..<Int(head.regionEnd) {
                                geo = max(geo, ScoreMath.geo(region, regions[r], config))
                            }
                            let occ = occBySet[Int(head.occupationSet)]
                            let rest = occ + geo + lvl
                            let bar = max(config.minScore, heap.entryScore)
                            if config.skillMax + rest < bar { continue }
                            let numerator: Int, divisor: Int
                            if weightSum == 0 {
                                (numerator, divisor) = (config.skillMax * occ + config.occRelated * rest, config.occRelated)
                            } else {
                                let n = skillScorer.numerator(skills, Int(head.skillStart)..<Int(head.skillEnd))
                                (numerator, divisor) = (config.skillMax * n + denominator * rest, denominator)
                            }
                            guard ScoreMath.roundHalfEven(numerator, divisor, isAtLeast: bar) else { continue }
                            heap.offer(
                                score: ScoreMath.roundHalfEven(numerator, divisor),
                                key: columns.keys[index], index: index)
                        }
                    }
                }
            }
        }
        return heap
    }

    /// Demands for one program or talent; `modes` is the mask the demand's mode must hit
    /// (all ones for talents), `regions` the other side's region codes (geo is the best).
    private func rankDemands(
        in pool: DemandPool, limit: Int, modes: UInt8, rank: Int, regions: [Int32], table: HeldSkillTable
    ) -> [RankedMatch] {
        var heap = TopKHeap(capacity: min(max(limit, 0), pool.count))
        guard heap.capacity > 0 else { return [] }
        let config = self.config
        table.withScorer { skillScorer in
            pool.heads.withUnsafeBufferPointer { heads in
                pool.skills.withUnsafeBufferPointer { skills in
                    for index in heads.indices {
                        let head = heads[index]
                        guard head.isOpen, head.modeBit & modes != 0 else { continue }
                        let minRank = Int(head.minRank)
                        guard rank >= minRank - 1 else { continue }
                        let lvl = rank >= minRank ? config.levelMeets : config.levelOneBelow
                        var geo = config.geoOther
                        for r in regions { geo = max(geo, ScoreMath.geo(head.region, r, config)) }
                        let occ = skillScorer.occupationPoints(head, config)
                        let rest = occ + geo + lvl
                        let bar = max(config.minScore, heap.entryScore)
                        if config.skillMax + rest < bar { continue }
                        let numerator: Int, divisor: Int
                        if head.weightSum == 0 {
                            (numerator, divisor) = (config.skillMax * occ + config.occRelated * rest, config.occRelated)
                        } else {
                            let n = skillScorer.numerator(skills, Int(head.skillStart)..<Int(head.skillEnd))
                            let denominator = ScoreMath.maxCredit * Int(head.weightSum)
                            (numerator, divisor) = (config.skillMax * n + denominator * rest, denominator)
                        }
                        guard ScoreMath.roundHalfEven(numerator, divisor, isAtLeast: bar) else { continue }
                        heap.offer(
                            score: ScoreMath.roundHalfEven(numerator, divisor),
                            key: pool.keys[index], index: index)
                    }
                }
            }
        }
        return heap.ranked { pool.profiles[$0].id }
    }
}
