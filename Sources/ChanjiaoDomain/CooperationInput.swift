import Foundation

/// A proposed cooperation: which demand, which program, how, and for how many seats.
public struct CooperationInput: Sendable, Equatable {
    public var demandID: UUID
    public var programID: UUID
    public var mode: CooperationMode
    public var seats: Int
    public var note: String?

    public init(demandID: UUID, programID: UUID, mode: CooperationMode, seats: Int, note: String? = nil) {
        self.demandID = demandID
        self.programID = programID
        self.mode = mode
        self.seats = seats
        self.note = note
    }

    public static func read(_ json: JSONValue) throws(Problem) -> CooperationInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["demand_id", "program_id", "mode", "seats", "note"])
        let demand = reader.uuid("demand_id")
        let program = reader.uuid("program_id")
        let mode = reader.enumValue("mode", CooperationMode.self)
        let seats = reader.int("seats", range: 1...10_000)
        let note = reader.string("note", required: false, maxLength: 1000)
        try log.check()
        return CooperationInput(demandID: demand!, programID: program!, mode: mode!, seats: seats!, note: note)
    }
}

/// What a cooperation's move carries: `complete` its date and trainees, `terminate` its note.
public struct CooperationMoveInput: Sendable, Equatable {
    public var completedOn: String?
    public var trainees: Int?
    public var note: String?

    public init(completedOn: String? = nil, trainees: Int? = nil, note: String? = nil) {
        self.completedOn = completedOn
        self.trainees = trainees
        self.note = note
    }

    public static func read(_ json: JSONValue, action: String) throws(Problem) -> CooperationMoveInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        switch action {
        case "complete":
            reader.rejectUnknown(allowed: ["completed_on", "trainees"])
            let day = reader.date("completed_on")
            let trainees = reader.int("trainees", range: 0...10_000)
            try log.check()
            return CooperationMoveInput(completedOn: day, trainees: trainees)
        default:
            reader.rejectUnknown(allowed: ["note"])
            let note = reader.string("note", maxLength: 1000)
            try log.check()
            return CooperationMoveInput(note: note)
        }
    }
}
