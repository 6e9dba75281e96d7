/// The documented limits of the canonical encoding. Input beyond a limit is refused with
/// ``MessageFormatError/Code/tooLong`` naming the field.
public enum WireLimits {
    /// Largest canonical header, in bytes.
    public static let maximumHeaderBytes = 64 * 1024
    /// Largest body, in bytes (1 MiB).
    public static let maximumBodyBytes = 1024 * 1024
    /// Most recipients, `to` and `cc` together.
    public static let maximumRecipients = 64
    /// Most entries in any other list field (crime areas, affected states, data subject categories, tokens).
    public static let maximumListEntries = 64
    /// Longest identifier-like text (`case_id`, `sis_alert_id`, `prum_hit_ref`,
    /// `strict_necessity_assessment_id`, each permission token), in UTF-8 bytes.
    public static let maximumIdentifierBytes = 128
    /// Longest free text (`h3_text`, `copy_to_europol_reason`), in UTF-8 bytes.
    public static let maximumTextBytes = 4096
}
