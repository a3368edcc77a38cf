import ChanjiaoDomain
/// The explanation written straight to JSON text: recommendations write twenty of these per
/// request, and Foundation's `JSONEncoder` costs more than the ranking itself.
extension MatchExplanation {
    /// `"score":…,"parts":{…},"matched_skills":[…],"missing_skills":[…]` — the members, without
    /// braces, so the API can put the other side's record first.
    public var jsonMembers: String {
        var out = "\"score\":\(score),\"parts\":{\"skill_fit\":\(parts.skillFit),\"occ_fit\":\(parts.occFit)"
        out += ",\"geo_fit\":\(parts.geoFit),\"level_fit\":\(parts.levelFit)},\"matched_skills\":["
        for (index, skill) in matchedSkills.enumerated() {
            if index > 0 { out += "," }
            out += "{\"demand_skill\":\(Self.quoted(skill.demandSkill)),\"taught_skill\":\(Self.quoted(skill.taughtSkill))"
            out += ",\"sim\":\(skill.sim),\"level_factor\":\(skill.levelFactor),\"credit\":\(skill.credit)}"
        }
        out += "],\"missing_skills\":["
        out += missingSkills.map(Self.quoted).joined(separator: ",")
        out += "]"
        return out
    }

    /// A JSON string literal (codes are plain ASCII, but nothing here trusts that).
    static func quoted(_ text: String) -> String { JSONValue.string(text).text }
}
