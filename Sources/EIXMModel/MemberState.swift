/// A Member State of the EU or a Schengen associated country (EIXM-RULES.md §5.4).
///
/// Greece is `EL` (the EU institutional code); the ISO code `GR` is accepted on input and normalised to `EL`.
public enum MemberState: String, WireEnum {
    case at = "AT"
    case be = "BE"
    case bg = "BG"
    case hr = "HR"
    case cy = "CY"
    case cz = "CZ"
    case dk = "DK"
    case ee = "EE"
    case fi = "FI"
    case fr = "FR"
    case de = "DE"
    case el = "EL"
    case hu = "HU"
    case ie = "IE"
    case it = "IT"
    case lv = "LV"
    case lt = "LT"
    case lu = "LU"
    case mt = "MT"
    case nl = "NL"
    case pl = "PL"
    case pt = "PT"
    case ro = "RO"
    case sk = "SK"
    case si = "SI"
    case es = "ES"
    case se = "SE"
    case `is` = "IS"
    case li = "LI"
    case no = "NO"
    case ch = "CH"

    public static let wire = WireTable<Self>()

    /// Parses a country code, accepting `GR` for Greece as well as `EL`.
    public init?(code: String) {
        if code == "GR" {
            self = .el
        } else {
            self.init(rawValue: code)
        }
    }

    /// The state with this two-letter code, given as two ASCII bytes (`GR` is read as `EL`).
    init?(_ first: UInt8, _ second: UInt8) {
        guard first >= 0x41, first <= 0x5A, second >= 0x41, second <= 0x5A,
            let state = Self.byLetters[Int(first - 0x41) * 26 + Int(second - 0x41)]
        else { return nil }
        self = state
    }

    /// Every two-letter pair, A-Z by A-Z, mapped to its state.
    private static let byLetters: [MemberState?] = {
        var table = [MemberState?](repeating: nil, count: 26 * 26)
        func index(_ code: String) -> Int {
            let bytes = Array(code.utf8)
            return Int(bytes[0] - 0x41) * 26 + Int(bytes[1] - 0x41)
        }
        for state in allCases { table[index(state.rawValue)] = state }
        table[index("GR")] = .el
        return table
    }()

    /// Whether the state is an EU Member State (false for the Schengen associated countries IS, LI, NO, CH).
    public var isEUMember: Bool {
        switch self {
        case .is, .li, .no, .ch: false
        default: true
        }
    }

    /// The English short name.
    public var name: String {
        switch self {
        case .at: "Austria"
        case .be: "Belgium"
        case .bg: "Bulgaria"
        case .hr: "Croatia"
        case .cy: "Cyprus"
        case .cz: "Czechia"
        case .dk: "Denmark"
        case .ee: "Estonia"
        case .fi: "Finland"
        case .fr: "France"
        case .de: "Germany"
        case .el: "Greece"
        case .hu: "Hungary"
        case .ie: "Ireland"
        case .it: "Italy"
        case .lv: "Latvia"
        case .lt: "Lithuania"
        case .lu: "Luxembourg"
        case .mt: "Malta"
        case .nl: "Netherlands"
        case .pl: "Poland"
        case .pt: "Portugal"
        case .ro: "Romania"
        case .sk: "Slovakia"
        case .si: "Slovenia"
        case .es: "Spain"
        case .se: "Sweden"
        case .is: "Iceland"
        case .li: "Liechtenstein"
        case .no: "Norway"
        case .ch: "Switzerland"
        }
    }
}
