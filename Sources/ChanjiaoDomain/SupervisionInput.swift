/// A county's targets for a year: `PUT /v1/targets/{year}/{region_code}`.
public struct TargetInput: Sendable, Equatable {
    public var submitted: Int
    public var certified: Int
    public var deadline: ChinaDay
    public var responsible: Responsible

    public init(submitted: Int, certified: Int, deadline: ChinaDay, responsible: Responsible) {
        self.submitted = submitted
        self.certified = certified
        self.deadline = deadline
        self.responsible = responsible
    }

    public struct Responsible: Sendable, Equatable {
        public var name: String
        public var title: String
        public var phone: String

        public init(name: String, title: String, phone: String) {
            self.name = name
            self.title = title
            self.phone = phone
        }
    }

    public static func read(_ json: JSONValue, year: Int) throws(Problem) -> TargetInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(
            allowed: ["submitted", "certified", "deadline", "responsible"],
            readOnly: ["year", "region_code", "region_name", "version", "created_at", "updated_at"])
        let submitted = reader.int("submitted", range: 0...100_000)
        let certified = reader.int("certified", range: 0...100_000)
        var deadline = reader.date("deadline").flatMap(ChinaDay.init)
        if let day = deadline, !Scoreboard.isValidDeadline(day, year: year) {
            log.add("deadline", "must fall in \(year) after January 1")
            deadline = nil
        }
        var responsible: Responsible?
        if let person = reader.object("responsible") {
            person.rejectUnknown(allowed: ["name", "title", "phone"])
            let name = person.string("name", maxLength: 50)
            let title = person.string("title", maxLength: 100)
            var phone = person.string("phone", maxLength: 20)
            if let text = phone, !Contact.isPhone(text) {
                log.add("responsible.phone", "must be a mobile number (11 digits) or a landline such as 0398-2345678")
                phone = nil
            }
            if let name, let title, let phone { responsible = Responsible(name: name, title: title, phone: phone) }
        }
        try log.check()
        return TargetInput(submitted: submitted!, certified: certified!, deadline: deadline!, responsible: responsible!)
    }
}

/// `PUT /v1/quotas/{year}/{level}/{region_code} {recommendations}`.
public enum QuotaInput {
    public static func read(_ json: JSONValue) throws(Problem) -> Int {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(
            allowed: ["recommendations"],
            readOnly: ["year", "level", "region_code", "region_name", "used", "version", "updated_at"])
        let recommendations = reader.int("recommendations", range: 0...10_000)
        try log.check()
        return recommendations!
    }
}

/// `PUT /v1/reward-policies/{level} {amount_fen, effective_from, top_up}`.
public enum RewardPolicyInput {
    public static func read(_ json: JSONValue, level: CertificationLevel) throws(Problem) -> RewardPolicy {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["amount_fen", "effective_from", "top_up"], readOnly: ["level", "version", "updated_at", "history"])
        let amount = reader.int("amount_fen", range: 0...Fen.maximumInput)
        let from = reader.date("effective_from").flatMap(ChinaDay.init)
        let topUp = reader.bool("top_up")
        try log.check()
        return RewardPolicy(level: level, amount: Fen(Int64(amount!)), effectiveFrom: from!, topUp: topUp!)
    }
}

/// `POST /v1/rewards/{id}/disburse {paid_on, voucher_no}`.
public struct DisbursementInput: Sendable, Equatable {
    public var paidOn: ChinaDay
    public var voucherNo: String

    public init(paidOn: ChinaDay, voucherNo: String) {
        self.paidOn = paidOn
        self.voucherNo = voucherNo
    }

    public static func read(_ json: JSONValue) throws(Problem) -> DisbursementInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["paid_on", "voucher_no"])
        let paidOn = reader.date("paid_on").flatMap(ChinaDay.init)
        let voucher = reader.string("voucher_no", maxLength: 100)
        try log.check()
        return DisbursementInput(paidOn: paidOn!, voucherNo: voucher!)
    }
}

/// A reason, and for a revocation its document: `{reason}` or `{reason, document_no}`.
public struct ReasonInput: Sendable, Equatable {
    public var reason: String
    public var documentNo: String?

    public static func read(_ json: JSONValue, needsDocument: Bool = false) throws(Problem) -> ReasonInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: needsDocument ? ["reason", "document_no"] : ["reason"])
        let reason = reader.string("reason", maxLength: 1000)
        let documentNo = needsDocument ? reader.string("document_no", maxLength: 100) : nil
        try log.check()
        return ReasonInput(reason: reason!, documentNo: documentNo)
    }
}
