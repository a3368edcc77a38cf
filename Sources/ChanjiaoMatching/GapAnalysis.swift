/// The gap document of a match run (MATCHING.md §3): where demand went unmet and where seats
/// went unused after the optimal allocation. Pure arithmetic on the run's snapshot.
public struct GapAnalysis: Encodable, Sendable, Equatable {
    public struct Occupation: Encodable, Sendable, Equatable {
        public let occupationCode: String
        public let unmet: Int
    }
    public struct Skill: Encodable, Sendable, Equatable {
        public let skillCode: String
        public let unmet: Int
    }
    public struct County: Encodable, Sendable, Equatable {
        public let regionCode: String
        public let unmet: Int
        public let unused: Int
    }
    public struct Specialty: Encodable, Sendable, Equatable {
        public let specialtyCode: String
        public let unused: Int
    }

    /// What the analysis needs of a demand in scope.
    public struct DemandSide: Sendable {
        public let occupationCode: String
        public let skillCodes: [String]
        public let regionCode: String
        public let headcount: Int
        public init(occupationCode: String, skillCodes: [String], regionCode: String, headcount: Int) {
            self.occupationCode = occupationCode
            self.skillCodes = skillCodes
            self.regionCode = regionCode
            self.headcount = headcount
        }
    }

    /// What the analysis needs of a program in scope.
    public struct ProgramSide: Sendable {
        public let specialtyCode: String
        public let regionCode: String
        public let seats: Int
        public init(specialtyCode: String, regionCode: String, seats: Int) {
            self.specialtyCode = specialtyCode
            self.regionCode = regionCode
            self.seats = seats
        }
    }

    public let byOccupation: [Occupation]
    public let bySkill: [Skill]
    public let byCounty: [County]
    public let bySpecialty: [Specialty]

    /// `assigned[i]` is the seats given to demand i, `used[j]` those taken from program j.
    /// Lists are ordered by the gap, largest first, then by code.
    public init(demands: [DemandSide], programs: [ProgramSide], assignedToDemand assigned: [Int], usedOfProgram used: [Int]) {
        var occupation: [String: Int] = [:]
        var skill: [String: Int] = [:]
        var countyUnmet: [String: Int] = [:]
        var countyUnused: [String: Int] = [:]
        var specialty: [String: Int] = [:]
        for (index, demand) in demands.enumerated() {
            let unmet = demand.headcount - assigned[index]
            occupation[demand.occupationCode, default: 0] += unmet
            for code in demand.skillCodes { skill[code, default: 0] += unmet }
            countyUnmet[demand.regionCode, default: 0] += unmet
        }
        for (index, program) in programs.enumerated() {
            let unused = program.seats - used[index]
            specialty[program.specialtyCode, default: 0] += unused
            countyUnused[program.regionCode, default: 0] += unused
        }
        func ranked(_ totals: [String: Int]) -> [(String, Int)] {
            totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        byOccupation = ranked(occupation).map { Occupation(occupationCode: $0, unmet: $1) }
        bySkill = ranked(skill).map { Skill(skillCode: $0, unmet: $1) }
        bySpecialty = ranked(specialty).map { Specialty(specialtyCode: $0, unused: $1) }
        let counties = Set(countyUnmet.keys).union(countyUnused.keys)
        byCounty = counties.map { County(regionCode: $0, unmet: countyUnmet[$0] ?? 0, unused: countyUnused[$0] ?? 0) }
            .sorted { ($0.unmet, $1.regionCode) > ($1.unmet, $0.regionCode) }
    }

    enum CodingKeys: String, CodingKey {
        case byOccupation = "by_occupation", bySkill = "by_skill", byCounty = "by_county", bySpecialty = "by_specialty"
    }
}

extension GapAnalysis.Occupation { enum CodingKeys: String, CodingKey { case occupationCode = "occupation_code", unmet } }
extension GapAnalysis.Skill { enum CodingKeys: String, CodingKey { case skillCode = "skill_code", unmet } }
extension GapAnalysis.County { enum CodingKeys: String, CodingKey { case regionCode = "region_code", unmet, unused } }
extension GapAnalysis.Specialty { enum CodingKeys: String, CodingKey { case specialtyCode = "specialty_code", unused } }
