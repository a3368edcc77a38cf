// Per-request lookup tables: the fixed side of a recommendation is turned into dense arrays
// indexed by catalog id once, so each of the tens of thousands of candidates costs a few
// array reads and no allocation. They compute exactly what `MatchScorer.skillNumerator`
// computes; the recommendation tests check the two against each other.

/// The demand side, for ranking programs or talents: which demand skill (slot) each skill id
/// and each group id feeds.
struct AskedSkillTable {
    /// skill id → slot of the demand skill with that id, or -1.
    private let slotBySkill: [Int32]
    /// group id + 1 → `groupSlots[groupStart[g] ..< groupStart[g + 1]]`, the slots in that
    /// group (entry 0, "no group", is always empty).
    private let groupStart: [Int32]
    private let groupSlots: [Int32]
    /// Per slot: `asked level` (the credit table's column) and weight.
    private let askedLevel: [Int32]
    private let weight: [Int32]
    /// Per slot, for `Scorer.creditBound`: the `SkillMask` bit of its group (0 without one)
    /// with the weighted credit a same-group skill can add at most, and its `exactBit` with
    /// what the exact skill adds on top.
    private let boundTerms: [BoundTerm]
    /// `SkillMask` of the asked skills.
    let skillMask: UInt64
    /// The most N a candidate can earn without holding an asked skill itself: creditUnit for
    /// each asked skill with a group (by weight), nothing for one without.
    let groupCredit: Int

    struct BoundTerm {
        let groupBit: UInt64
        let skillBit: UInt64
        let groupCredit: Int
        let exactCredit: Int
    }

    var slotCount: Int { askedLevel.count }

    init(_ demand: DemandProfile) {
        let skills = demand.skills
        var slotBySkill = [Int32](repeating: -1, count: (skills.map { Int($0.skill) }.max() ?? -1) + 1)
        for (slot, s) in skills.enumerated() { slotBySkill[Int(s.skill)] = Int32(slot) }
        var groupStart = [Int32](repeating: 0, count: (skills.map { Int($0.group) + 1 }.max() ?? 0) + 2)
        for s in skills where s.group >= 0 { groupStart[Int(s.group) + 2] += 1 }
        for g in stride(from: 1, to: groupStart.count, by: 1) { groupStart[g] += groupStart[g - 1] }
        var fill = groupStart
        var groupSlots = [Int32](repeating: 0, count: Int(groupStart.last ?? 0))
        for (slot, s) in skills.enumerated() where s.group >= 0 {
            groupSlots[Int(fill[Int(s.group) + 1])] = Int32(slot)
            fill[Int(s.group) + 1] += 1
        }
        self.slotBySkill = slotBySkill
        self.groupStart = groupStart
        self.groupSlots = groupSlots
        self.askedLevel = skills.map { Int32($0.level) }
        self.weight = skills.map { Int32($0.weight) }
        // c(s) ≤ 60 from a same-group skill and ≤ 120 from the skill itself; a skill
        // without a group earns nothing from others.
        let unit = ScoreMath.creditUnit
        self.boundTerms = skills.map { s in
            let grouped = s.group >= 0
            return BoundTerm(
                groupBit: grouped ? SkillMask.bit(skill: s.skill, group: s.group) : 0,
                skillBit: SkillMask.exactBit(s.skill),
                groupCredit: grouped ? unit * Int(s.weight) : 0,
                exactCredit: (grouped ? unit : ScoreMath.maxCredit) * Int(s.weight))
        }
        skillMask = SkillMask.of(skills.lazy.map { ($0.skill, $0.group) })
        groupCredit = boundTerms.reduce(0) { $0 + $1.groupCredit }
    }

    /// Runs `body` with a scorer for one candidate's packed held skills. The closure form
    /// pins every table's buffer once per request instead of once per candidate.
    func withScorer<R>(_ body: (Scorer) -> R) -> R {
        var best = [Int32](repeating: 0, count: slotCount)
        return best.withUnsafeMutableBufferPointer { best in
            slotBySkill.withUnsafeBufferPointer { bySkill in
                groupStart.withUnsafeBufferPointer { start in
                    groupSlots.withUnsafeBufferPointer { members in
                        askedLevel.withUnsafeBufferPointer { level in
                            weight.withUnsafeBufferPointer { weight in
                                boundTerms.withUnsafeBufferPointer { bound in
                                    ScoreMath.creditTable.withUnsafeBufferPointer { credits in
                                        body(Scorer(
                                            bySkill: bySkill, groupStart: start, members: members, level: level,
                                            weight: weight, bound: bound, credits: credits, best: best))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    struct Scorer {
        let bySkill: UnsafeBufferPointer<Int32>
        let groupStart: UnsafeBufferPointer<Int32>
        let members: UnsafeBufferPointer<Int32>
        let level: UnsafeBufferPointer<Int32>
        let weight: UnsafeBufferPointer<Int32>
        let bound: UnsafeBufferPointer<BoundTerm>
        let credits: UnsafeBufferPointer<Int32>
        /// Best credit so far per slot, reset per candidate.
        let best: UnsafeMutableBufferPointer<Int32>

        /// An upper bound of `N` for a candidate with these masks (`SkillMask.of`,
        /// `SkillMask.exactBits`), from two bit tests per asked skill: much cheaper than
        /// `numerator`, and tight when most asked skills are missing or only matched by group.
        @inline(__always)
        func creditBound(groupMask: UInt64, skillBits: UInt64) -> Int {
            var n = 0
            for term in bound {
                n += (groupMask & term.groupBit != 0 ? term.groupCredit : 0)
                    + (skillBits & term.skillBit != 0 ? term.exactCredit : 0)
            }
            return n
        }

        /// `N` against the held skills `held[range]`.
        @inline(__always)
        func numerator(_ held: UnsafeBufferPointer<UInt64>, _ range: Range<Int>) -> Int {
            for i in best.indices { best[i] = 0 }
            for i in range {
                let t = held[i]
                let taughtRow = PackedSkill.level(t) * 6
                let skill = PackedSkill.skill(t)
                if skill < bySkill.count {
                    let slot = Int(bySkill[skill])
                    if slot >= 0 { best[slot] = max(best[slot], credits[72 + taughtRow + Int(level[slot])]) }
                }
                let group = PackedSkill.groupPlusOne(t)
                if group != 0, group + 1 < groupStart.count {
                    for j in Int(groupStart[group])..<Int(groupStart[group + 1]) {
                        let slot = Int(members[j])
                        best[slot] = max(best[slot], credits[36 + taughtRow + Int(level[slot])])
                    }
                }
            }
            var n = 0
            for i in best.indices { n += Int(weight[i]) * Int(best[i]) }
            return n
        }
    }
}

/// The program or talent side, for ranking demands: the level held per skill id, the best
/// level held per group, and membership of occupation and minor-group ids.
struct HeldSkillTable {
    /// `SkillMask` of the held skills.
    let skillMask: UInt64
    /// `SkillMask.exactBits` of the held skills.
    let skillBits: UInt64
    /// The held skills' ids.
    let skillIDs: [Int32]
    private let exactLevel: [UInt8]
    /// Indexed by group id + 1 (entry 0, "no group", stays 0).
    private let groupLevel: [UInt8]
    private let occupation: [Bool]
    private let occupationGroup: [Bool]

    init(skills: [HeldSkill], occupations: [Int32], occupationGroups: [Int32]) {
        skillMask = SkillMask.of(skills.lazy.map { ($0.skill, $0.group) })
        skillBits = SkillMask.exactBits(skills.lazy.map(\.skill))
        skillIDs = skills.map(\.skill)
        var exactLevel = [UInt8](repeating: 0, count: (skills.map { Int($0.skill) }.max() ?? -1) + 1)
        var groupLevel = [UInt8](repeating: 0, count: (skills.map { Int($0.group) + 1 }.max() ?? 0) + 1)
        for t in skills {
            exactLevel[Int(t.skill)] = t.level
            // A same-group credit only grows with the level held, so the group's best level
            // decides it; the skill itself also counts here, harmlessly, since its exact
            // credit (sim 2) is always at least its group credit.
            if t.group >= 0 { groupLevel[Int(t.group) + 1] = max(groupLevel[Int(t.group) + 1], t.level) }
        }
        var occupation = [Bool](repeating: false, count: (occupations.map { Int($0) }.max() ?? -1) + 1)
        for o in occupations { occupation[Int(o)] = true }
        var occupationGroup = [Bool](repeating: false, count: (occupationGroups.map { Int($0) }.max() ?? -1) + 1)
        for g in occupationGroups { occupationGroup[Int(g)] = true }
        self.exactLevel = exactLevel
        self.groupLevel = groupLevel
        self.occupation = occupation
        self.occupationGroup = occupationGroup
    }

    /// occ for every occupation id of a demand pool (`groups`: each id's minor group), as
    /// `MatchScorer.occupationPoints` would give it.
    func occupationPoints(groups: [Int32], _ config: ScoreConfig) -> OccupationPoints {
        OccupationPoints(
            count: groups.count,
            related: groups.indices.lazy.filter { $0 < occupation.count && occupation[$0] },
            minorGroup: groups.indices.lazy.filter { o in
                let g = Int(groups[o])
                return g >= 0 && g < occupationGroup.count && occupationGroup[g]
            },
            config)
    }

    /// Runs `body` with a scorer for packed asked skills (buffers pinned once per request).
    func withScorer<R>(_ body: (Scorer) -> R) -> R {
        exactLevel.withUnsafeBufferPointer { exact in
            groupLevel.withUnsafeBufferPointer { groups in
                ScoreMath.creditTable.withUnsafeBufferPointer { credits in
                    body(Scorer(exact: exact, groups: groups, credits: credits))
                }
            }
        }
    }

    struct Scorer {
        let exact: UnsafeBufferPointer<UInt8>
        let groups: UnsafeBufferPointer<UInt8>
        let credits: UnsafeBufferPointer<Int32>

        /// `N` of the asked skills `asked[range]`: for each, the better of the exact credit at
        /// the level held and the same-group credit at the group's best level.
        @inline(__always)
        func numerator(_ asked: UnsafeBufferPointer<UInt64>, _ range: Range<Int>) -> Int {
            var n = 0
            for i in range {
                let s = asked[i]
                let level = PackedSkill.level(s)
                let skill = PackedSkill.skill(s)
                let group = PackedSkill.groupPlusOne(s)
                let held = skill < exact.count ? Int(exact[skill]) : 0
                let inGroup = group < groups.count ? Int(groups[group]) : 0
                let c = max(credits[72 + held * 6 + level], credits[36 + inGroup * 6 + level])
                n += PackedSkill.weight(s) * Int(c)
            }
            return n
        }
    }
}
