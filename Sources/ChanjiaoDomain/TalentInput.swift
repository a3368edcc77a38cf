import Foundation

/// A talent profile as a partner (or the bureau) writes it. Personal information: it is
/// accepted only with its source and a consent record.
public struct TalentInput: RegistryInput, Equatable {
    /// Required from the bureau; a partner's own source otherwise.
    public var source: String?
    public var externalID: String
    public var name: String
    public var phone: String?
    public var skills: [WeightedSkill]
    public var specialtyCode: String?
    public var educationLevel: EducationLevel
    public var desiredOccupationCodes: [String]
    public var regionCodes: [String]
    public var availableFrom: String?
    public var shareWithEnterprises: Bool
    public var consentGivenAt: Date

    public static let writable: Set<String> = [
        "source", "external_id", "name", "phone", "skills", "specialty_code", "education_level",
        "desired_occupation_codes", "region_codes", "available_from", "consent",
    ]
    public static let readOnly: Set<String> = ["id", "version", "created_at", "updated_at"]
    public static let immutable: Set<String> = ["source", "external_id"]

    public static func read(_ json: JSONValue) throws(Problem) -> TalentInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: writable, readOnly: readOnly)
        let source = reader.string("source", required: false, maxLength: 64)
        if let source, !isSourceName(source) {
            log.add("source", "must be lower-case letters, digits, '-' or '_' (2–64)")
        }
        let externalID = reader.string("external_id", maxLength: 100)
        let name = reader.string("name", maxLength: 100)
        let phone = reader.string("phone", required: false, maxLength: 11)
        if let phone, !Contact.isMobile(phone) { log.add("phone", "must be an 11-digit mobile number") }
        let skills = reader.skills("skills", weighted: false)
        let specialty = reader.string("specialty_code", required: false, maxLength: 6)
        if let specialty, !TaxonomyCode.isSpecialty(specialty) {
            log.add("specialty_code", "must be a 6-digit specialty code of the 2021 catalog")
        }
        let level = reader.enumValue("education_level", EducationLevel.self)
        let occupations = reader.stringArray("desired_occupation_codes", required: false, maxCount: 10) {
            TaxonomyCode.isOccupation($0) ? nil : "must be an occupation code D-DD-DD-DD"
        }
        let regions = reader.stringArray("region_codes", required: false, maxCount: 10) {
            RegionCatalog.isWellFormed($0) ? nil : "must be a 6-digit GB/T 2260 region code"
        }
        let availableFrom = reader.date("available_from", required: false)
        let consent = reader.object("consent")
        consent?.rejectUnknown(allowed: ["share_with_enterprises", "given_at"])
        let share = consent?.bool("share_with_enterprises")
        let givenAt = consent?.timestamp("given_at")
        try log.check()
        return TalentInput(
            source: source, externalID: externalID!, name: name!, phone: phone, skills: skills!,
            specialtyCode: specialty, educationLevel: level!,
            desiredOccupationCodes: occupations ?? [],
            regionCodes: regions ?? [], availableFrom: availableFrom, shareWithEnterprises: share!,
            consentGivenAt: givenAt!)
    }

    public static func isSourceName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (2...64).contains(bytes.count)
            && bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 }
            && bytes[0] != 45 && bytes[0] != 95
    }

    public var references: [CodeReference] {
        var refs = skills.enumerated().map { CodeReference(.skill, $1.code, field: "skills[\($0)].code") }
        if let specialtyCode { refs.append(CodeReference(.specialty, specialtyCode, field: "specialty_code")) }
        refs += desiredOccupationCodes.enumerated().map {
            CodeReference(.occupation, $1, field: "desired_occupation_codes[\($0)]")
        }
        refs += regionCodes.enumerated().map { CodeReference(.region, $1, field: "region_codes[\($0)]") }
        return refs
    }

    public init(
        source: String?, externalID: String, name: String, phone: String?, skills: [WeightedSkill],
        specialtyCode: String?, educationLevel: EducationLevel, desiredOccupationCodes: [String],
        regionCodes: [String], availableFrom: String?, shareWithEnterprises: Bool, consentGivenAt: Date
    ) {
        self.source = source
        self.externalID = externalID
        self.name = name
        self.phone = phone
        self.skills = skills
        self.specialtyCode = specialtyCode
        self.educationLevel = educationLevel
        self.desiredOccupationCodes = desiredOccupationCodes
        self.regionCodes = regionCodes
        self.availableFrom = availableFrom
        self.shareWithEnterprises = shareWithEnterprises
        self.consentGivenAt = consentGivenAt
    }
}
