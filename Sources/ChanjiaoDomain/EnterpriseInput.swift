/// An enterprise as a client writes it (POST body, or the document after a merge patch).
public struct EnterpriseInput: RegistryInput, Equatable {
    public var name: String
    public var uscc: String
    public var regionCode: String
    public var industryCode: String?
    public var size: EnterpriseSize
    public var address: String?
    public var contact: Contact?
    /// Set when the bureau registers a real code that fails the check (audit-logged).
    public var usccOverride: Bool

    public static let writable: Set<String> = [
        "name", "uscc", "region_code", "industry_code", "size", "address", "contact", "uscc_override",
    ]
    public static let readOnly: Set<String> = [
        "id", "status", "status_reason", "verified_at", "archived", "version", "created_at", "updated_at",
    ]

    public static func read(_ json: JSONValue) throws(Problem) -> EnterpriseInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: writable, readOnly: readOnly)
        let name = reader.string("name")
        let override = reader.bool("uscc_override", required: false) ?? false
        var uscc: String?
        if let raw = reader.string("uscc", maxLength: 40) {
            do {
                uscc = try USCC.normalize(raw)
            } catch {
                if override, let code = USCC.normalizeShape(raw) {
                    uscc = code
                } else {
                    log.add("uscc", error.message)
                }
            }
        }
        let region = reader.countyCode("region_code")
        let industry = reader.string("industry_code", required: false, maxLength: 5)
        if let industry, !isIndustryCode(industry) {
            log.add("industry_code", "must be a GB/T 4754 code: a section letter A–T and up to 4 digits, e.g. C3211")
        }
        let size = reader.enumValue("size", EnterpriseSize.self)
        let address = reader.string("address", required: false, maxLength: 500)
        let contact = reader.object("contact", required: false).flatMap(Contact.read)
        try log.check()
        return EnterpriseInput(
            name: name!, uscc: uscc!, regionCode: region!, industryCode: industry, size: size!,
            address: address, contact: contact, usccOverride: override)
    }

    public var references: [CodeReference] { [CodeReference(.region, regionCode, field: "region_code")] }

    /// Whether the enterprise's main business is education or training (GB/T 4754 section P),
    /// which makes it ineligible for certification.
    public var isEducationBusiness: Bool { industryCode?.hasPrefix("P") ?? false }

    static func isIndustryCode(_ code: String) -> Bool {
        let scalars = Array(code.unicodeScalars)
        guard let first = scalars.first, ("A"..."T").contains(first), scalars.count <= 5 else { return false }
        return scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) }
    }

    public init(
        name: String, uscc: String, regionCode: String, industryCode: String?, size: EnterpriseSize,
        address: String?, contact: Contact?, usccOverride: Bool
    ) {
        self.name = name
        self.uscc = uscc
        self.regionCode = regionCode
        self.industryCode = industryCode
        self.size = size
        self.address = address
        self.contact = contact
        self.usccOverride = usccOverride
    }
}
