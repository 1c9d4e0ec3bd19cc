//! Text that is not UTF-8, read the way the players that wrote it meant it. Plain `.m3u` and
//! `.pls` files date from Winamp and Windows Media Player, which saved them in the system's
//! code page; in the Western European locales that is Windows-1252, so a fan's old playlist
//! says "Bj\xF6rk" where UTF-8 would say "Björk". Such a line is decoded as Windows-1252 and the
//! import says so, rather than refusing a file every player still opens.
//!
//! Only Windows-1252 is guessed: it is a superset of Latin-1's printable range and the code
//! page of nearly every such file; telling other code pages apart needs statistics that
//! misread short lines. This module must not decide when to use it: readers ask for it on a
//! line (or file) that is not UTF-8.

/// What Windows-1252 puts at 0x80–0x9F (its difference from Latin-1), as the WHATWG Encoding
/// Standard maps it; the five bytes it leaves undefined become the C1 control of the same
/// number, which the import gate removes. Written here rather than taken from `encoding_rs`,
/// which would bring every legacy code page's tables (hundreds of KB in a package held under
/// 5 MiB) for this one table of 32.
const HIGH_CONTROLS: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// `bytes` decoded as Windows-1252: every byte is one character, so nothing can fail.
pub(crate) fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| match byte {
            0x80..=0x9F => HIGH_CONTROLS[usize::from(byte - 0x80)],
            _ => char::from(byte),
        })
        .collect()
}

/// The name people know the encoding by, for messages.
pub const WINDOWS_1252: &str = "Windows-1252 (Western European)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_1_letters_and_the_windows_additions_decode() {
        assert_eq!(windows_1252(b"Bj\xF6rk \x96 J\xF3ga"), "Björk – Jóga");
        assert_eq!(windows_1252(b"\x93Caf\xE9\x94 \x80 5"), "“Café” € 5");
        assert_eq!(windows_1252(b"plain"), "plain");
        // Undefined bytes stay visible as controls for the gate to remove.
        assert_eq!(windows_1252(b"a\x81b"), "a\u{81}b");
        // Every byte is one character, whatever it is.
        let every: Vec<u8> = (0..=255).collect();
        assert_eq!(windows_1252(&every).chars().count(), 256);
    }
}
