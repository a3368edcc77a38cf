/// A college (职业院校, technician college, training centre) as a client writes it.
public struct CollegeInput: RegistryInput, Equatable {
    public var name: String
    /// The school's official code: the ministry's 学校代码/学校标识码 for colleges, the provincial
    /// code for technician and secondary schools — digits and capital letters.
    public var schoolCode: String?
    public var kind: CollegeKind
    public var regionCode: String
    public var address: String?
    public var contact: Contact?

    public static let writable: Set<String> = [
        "name", "school_code", "kind", "region_code", "address", "contact",
    ]
    public static let readOnly: Set<String> = [
        "id", "status", "status_reason", "verified_at", "archived", "version", "created_at", "updated_at",
    ]

    public static func read(_ json: JSONValue) throws(Problem) -> CollegeInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: writable, readOnly: readOnly)
        let name = reader.string("name")
        let schoolCode = reader.string("school_code", required: false, maxLength: 20)
        if let schoolCode, !schoolCode.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }) {
            log.add("school_code", "must be digits and capital letters, e.g. 14390")
        }
        let kind = reader.enumValue("kind", CollegeKind.self)
        let region = reader.countyCode("region_code")
        let address = reader.string("address", required: false, maxLength: 500)
        let contact = reader.object("contact", required: false).flatMap(Contact.read)
        try log.check()
        return CollegeInput(
            name: name!, schoolCode: schoolCode, kind: kind!, regionCode: region!, address: address,
            contact: contact)
    }

    public var references: [CodeReference] { [CodeReference(.region, regionCode, field: "region_code")] }

    public init(
        name: String, schoolCode: String?, kind: CollegeKind, regionCode: String, address: String?,
        contact: Contact?
    ) {
        self.name = name
        self.schoolCode = schoolCode
        self.kind = kind
        self.regionCode = regionCode
        self.address = address
        self.contact = contact
    }
}
